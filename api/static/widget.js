/*
 * Gremium chat widget. One tag on any intranet page:
 *
 *   <script src="https://gremium.example/widget.js" defer
 *           data-gremium-url="https://gremium.example"   (default: this script's folder)
 *           data-gremium-key="..."                        (only when the server wants API keys)
 *           data-gremium-target="#some-element"></script> (inline; default: a floating button)
 *
 * The widget lives in a shadow root, so the page's CSS and the widget's do not mix.
 * Plain JS, no build step. The server must allow the page's origin (GREMIUM_CORS_ORIGINS)
 * when the page is on another origin than the API.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) {
    return;
  }
  // Default: the folder this script was loaded from, so a path prefix behind a proxy works.
  var base = (script.getAttribute("data-gremium-url") || new URL(".", script.src).href)
    .replace(/\/+$/, "");
  var apiKey = script.getAttribute("data-gremium-key") || keyFromHash();
  var targetSelector = script.getAttribute("data-gremium-target");
  var instance = 0;

  function keyFromHash() {
    var match = /(?:^|[#&])key=([^&]+)/.exec(location.hash || "");
    return match ? decodeURIComponent(match[1]) : "";
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attrs[name];
      } else if (name === "hidden") {
        node.hidden = Boolean(attrs[name]);
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function germanDate(iso) {
    if (!iso || iso.length !== 10) {
      return iso || "";
    }
    var p = iso.split("-");
    return p[2] + "." + p[1] + "." + p[0];
  }

  function sessionLabel(session) {
    if (!session) {
      return "";
    }
    var date = germanDate(session.date);
    if (session.kind === "Sondersitzung") {
      return date ? "Sondersitzung am " + date : "Sondersitzung";
    }
    if (session.number !== null && session.number !== undefined) {
      return session.number + ". Sitzung" + (date ? " am " + date : "");
    }
    return date ? "Sitzung am " + date : "Sitzung";
  }

  function speakerLabel(speaker) {
    if (!speaker) {
      return "ohne Sprecher";
    }
    return speaker.kind === "land" ? speaker.name + " (" + speaker.code + ")" : speaker.name;
  }

  var ROLES = { protocol_note: "Protokollnotiz", decision: "Beschluss" };

  function citationSummary(c) {
    var parts = [];
    if (ROLES[c.role]) {
      parts.push(c.role === "decision" && c.label ? c.label : ROLES[c.role]);
    }
    var session = sessionLabel(c.session);
    if (session) {
      parts.push(session);
    }
    if (c.agenda_item) {
      parts.push(("TOP " + c.agenda_item.number + " " + (c.agenda_item.title || "")).trim());
    }
    if (c.page !== null && c.page !== undefined) {
      parts.push("S. " + c.page);
    }
    return parts.join(" · ");
  }

  function errorText(status, body) {
    var message = body && body.error && body.error.message ? body.error.message : "";
    if (status === 401 || status === 403) {
      return "Zugriff verweigert: Der API-Schlüssel fehlt oder ist ungültig.";
    }
    if (status === 429) {
      return "Zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es erneut.";
    }
    if (status === 503) {
      return "Der Suchindex wird gerade aufgebaut. Bitte versuchen Sie es gleich noch einmal.";
    }
    if (status === 0) {
      return "Der Server ist nicht erreichbar.";
    }
    return "Die Frage konnte nicht beantwortet werden" + (message ? ": " + message : ".");
  }

  /* Reads server-sent events from a fetch response and calls onEvent(name, data). */
  function readEvents(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function dispatch(block) {
      var name = "message";
      var data = [];
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) {
          name = line.slice(6).trim();
        } else if (line.indexOf("data:") === 0) {
          data.push(line.slice(5).replace(/^ /, ""));
        }
      });
      if (data.length) {
        onEvent(name, JSON.parse(data.join("\n")));
      }
    }
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          if (buffer.trim()) {
            dispatch(buffer);
          }
          return;
        }
        buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, "\n");
        var cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          dispatch(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
        return pump();
      });
    }
    return pump();
  }

  function Widget(container, floating) {
    instance += 1;
    this.id = "gw" + instance;
    this.entries = 0;
    this.busy = false;
    var host = el("div", { class: "gremium-widget-host" });
    container.appendChild(host);
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    root.appendChild(el("link", { rel: "stylesheet", href: base + "/widget.css" }));
    this.build(root, floating);
  }

  Widget.prototype.build = function (root, floating) {
    var id = this.id;
    var self = this;
    this.log = el("div", {
      class: "gw-log",
      role: "log",
      "aria-live": "polite",
      "aria-label": "Fragen und Antworten",
      tabindex: "0",
    });
    this.input = el("textarea", {
      id: id + "-q",
      class: "gw-input",
      rows: "2",
      maxlength: "2000",
      placeholder: "z. B. Was hat Bayern zur Delos Cloud gesagt?",
      "aria-describedby": id + "-hint",
    });
    this.button = el("button", { type: "submit", class: "gw-send", text: "Fragen" });
    this.status = el("p", { class: "gw-status", role: "status", "aria-live": "polite" });
    var form = el("form", { class: "gw-form", "aria-label": "Frage stellen" }, [
      el("label", { for: id + "-q", class: "gw-label", text: "Ihre Frage" }),
      this.input,
      el("p", {
        id: id + "-hint",
        class: "gw-hint",
        text: "Eingabetaste sendet, Umschalt+Eingabetaste beginnt eine neue Zeile.",
      }),
      el("div", { class: "gw-actions" }, [this.status, this.button]),
    ]);
    var heading = el("h2", {
      id: id + "-title",
      class: "gw-title",
      text: "Fragen an die Protokolle des IT-Planungsrats",
    });
    var header = el("header", { class: "gw-header" }, [heading]);
    this.panel = el(
      "section",
      { class: "gw-panel" + (floating ? " gw-floating" : ""), "aria-labelledby": id + "-title" },
      [header, this.log, form]
    );
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.ask(self.input.value);
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.ask(self.input.value);
      }
    });
    if (floating) {
      var launcher = el("button", {
        type: "button",
        class: "gw-launcher",
        "aria-expanded": "false",
        "aria-controls": id + "-panel",
        text: "Fragen an Gremium",
      });
      var close = el("button", {
        type: "button",
        class: "gw-close",
        "aria-label": "Chat schließen",
        text: "×",
      });
      this.panel.id = id + "-panel";
      this.panel.hidden = true;
      header.appendChild(close);
      var toggle = function (open) {
        self.panel.hidden = !open;
        launcher.setAttribute("aria-expanded", String(open));
        (open ? self.input : launcher).focus();
      };
      launcher.addEventListener("click", function () {
        toggle(self.panel.hidden);
      });
      close.addEventListener("click", function () {
        toggle(false);
      });
      this.panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          toggle(false);
        }
      });
      root.appendChild(launcher);
    }
    root.appendChild(this.panel);
  };

  Widget.prototype.ask = function (raw) {
    var question = (raw || "").trim();
    if (!question || this.busy) {
      if (!question) {
        this.status.textContent = "Bitte geben Sie eine Frage ein.";
        this.input.focus();
      }
      return;
    }
    var self = this;
    this.entries += 1;
    var entry = this.newEntry(question);
    this.setBusy(true);
    var headers = { "Content-Type": "application/json", Accept: "text/event-stream" };
    if (apiKey) {
      headers.Authorization = "Bearer " + apiKey;
    }
    fetch(base + "/ask", {
      method: "POST",
      headers: headers,
      body: JSON.stringify({ question: question, stream: true }),
    })
      .then(function (response) {
        var type = response.headers.get("content-type") || "";
        if (!response.ok || type.indexOf("text/event-stream") < 0) {
          return response
            .json()
            .catch(function () {
              return null;
            })
            .then(function (body) {
              entry.fail(errorText(response.status, body));
            });
        }
        var text = "";
        return readEvents(response, function (name, data) {
          if (name === "meta") {
            entry.citations(data.citations || [], data.abstained);
          } else if (name === "delta") {
            text += data.text;
            entry.answer(text, false);
          } else if (name === "done") {
            entry.answer(data.answer || text, true);
          }
        });
      })
      .catch(function () {
        entry.fail(errorText(0, null));
      })
      .then(function () {
        self.setBusy(false);
        self.input.value = "";
        self.input.focus();
      });
  };

  Widget.prototype.setBusy = function (busy) {
    this.busy = busy;
    this.button.disabled = busy;
    this.status.textContent = busy ? "Antwort wird gesucht …" : "";
  };

  Widget.prototype.newEntry = function (question) {
    var prefix = this.id + "-e" + this.entries;
    var answerBox = el("div", { class: "gw-answer", "aria-busy": "true" }, [
      el("span", { class: "gw-pending", text: "Antwort wird gesucht …" }),
    ]);
    var sourcesHeading = el("h3", { class: "gw-sources-title", text: "Quellen", hidden: true });
    var list = el("ol", { class: "gw-citations", "aria-label": "Quellen" });
    var article = el("article", { class: "gw-entry", "aria-label": "Frage und Antwort" }, [
      el("p", { class: "gw-question" }, [
        el("span", { class: "gw-sr", text: "Frage: " }),
        question,
      ]),
      answerBox,
      sourcesHeading,
      list,
    ]);
    this.log.appendChild(article);
    article.scrollIntoView({ block: "nearest" });
    var buttons = {};

    function open(n, focus) {
      var item = buttons[n];
      if (!item) {
        return;
      }
      item.button.setAttribute("aria-expanded", "true");
      item.passage.hidden = false;
      if (focus) {
        item.button.focus();
      }
    }

    return {
      citations: function (citations, abstained) {
        if (abstained) {
          article.classList.add("gw-abstained");
        }
        list.textContent = "";
        sourcesHeading.hidden = citations.length === 0;
        citations.forEach(function (c) {
          var passageId = prefix + "-p" + c.n;
          var button = el("button", {
            type: "button",
            class: "gw-cite",
            "aria-expanded": "false",
            "aria-controls": passageId,
          }, [
            el("span", { class: "gw-n", text: "[" + c.n + "]" }),
            " ",
            el("strong", { class: "gw-speaker", text: speakerLabel(c.speaker) }),
            el("span", { class: "gw-where", text: " · " + citationSummary(c) }),
          ]);
          var title = c.document && (c.document.title || c.document.file);
          var passage = el("blockquote", { id: passageId, class: "gw-passage", hidden: true }, [
            el("p", { text: c.text }),
            title ? el("footer", { text: "Dokument: " + title }) : null,
          ]);
          button.addEventListener("click", function () {
            var expanded = button.getAttribute("aria-expanded") === "true";
            button.setAttribute("aria-expanded", String(!expanded));
            passage.hidden = expanded;
          });
          buttons[c.n] = { button: button, passage: passage };
          list.appendChild(el("li", { class: "gw-citation", "data-n": String(c.n) }, [button, passage]));
        });
      },
      answer: function (text, done) {
        answerBox.textContent = "";
        var parts = text.split(/(\[\d+\])/);
        parts.forEach(function (part) {
          var marker = /^\[(\d+)\]$/.exec(part);
          if (marker && buttons[marker[1]]) {
            var n = marker[1];
            var ref = el("button", {
              type: "button",
              class: "gw-ref",
              "aria-label": "Quelle " + n + " anzeigen",
              text: part,
            });
            ref.addEventListener("click", function () {
              open(n, true);
            });
            answerBox.appendChild(ref);
          } else if (part) {
            answerBox.appendChild(document.createTextNode(part));
          }
        });
        if (done) {
          answerBox.setAttribute("aria-busy", "false");
        }
      },
      fail: function (message) {
        answerBox.textContent = "";
        answerBox.setAttribute("aria-busy", "false");
        answerBox.appendChild(el("p", { class: "gw-error", role: "alert", text: message }));
      },
    };
  };

  function mount() {
    var target = targetSelector ? document.querySelector(targetSelector) : null;
    if (targetSelector && !target) {
      console.warn("Gremium-Widget: Element " + targetSelector + " nicht gefunden.");
    }
    new Widget(target || document.body, !target);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
