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
 *
 * It keeps the conversation and sends it as `history` with each question ("Neue
 * Unterhaltung" starts afresh), shows how a follow-up was read ("Verstanden als: …"),
 * and opens a cited source in a side panel: the page's text with the passage marked,
 * and a link to the original at that page.
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
  var keyInHash = Boolean(keyFromHash());
  var instance = 0;
  // The conversation sent with a question: the last turns only, each cut to what a
  // question may hold, so a long chat never makes requests the server refuses.
  var HISTORY_TURNS = 6;
  var HISTORY_CHARS = 2000;

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

  function authHeaders(extra) {
    var headers = extra || {};
    if (apiKey) {
      headers.Authorization = "Bearer " + apiKey;
    }
    return headers;
  }

  /* A link to a page of the browse view; the key travels along only if it came in the hash. */
  function browseUrl(query) {
    return base + "/browse?" + query + (keyInHash ? "#key=" + encodeURIComponent(apiKey) : "");
  }

  function isPdf(documentRef) {
    return Boolean(documentRef && /\.pdf$/i.test(documentRef.file || ""));
  }

  /* Opens the original file at a page. Without a key a plain link does it; with one the
   * file is fetched with the key and shown from memory, in a window opened at the click
   * (a window opened only after the download would be taken for a pop-up). */
  function openOriginal(event, url, page, pdf, onError) {
    if (!apiKey) {
      return;
    }
    event.preventDefault();
    var win = window.open("", "_blank");
    fetch(url, { headers: authHeaders() })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.blob();
      })
      .then(function (blob) {
        var objectUrl = URL.createObjectURL(blob);
        var target = objectUrl + (pdf && page ? "#page=" + page : "");
        if (win) {
          win.location.href = target;
        } else {
          window.open(target, "_blank");
        }
        setTimeout(function () {
          URL.revokeObjectURL(objectUrl);
        }, 120000);
      })
      .catch(function () {
        if (win) {
          win.close();
        }
        onError("Das Original konnte nicht geladen werden.");
      });
  }

  /* The page text as nodes, with the highlighted spans (code point offsets) in <mark>. */
  function markedText(text, highlights) {
    var chars = Array.from(text);
    var nodes = [];
    var cursor = 0;
    (highlights || []).forEach(function (span) {
      var start = Math.max(span.start, cursor);
      var end = Math.min(span.end, chars.length);
      if (end <= start) {
        return;
      }
      if (start > cursor) {
        nodes.push(document.createTextNode(chars.slice(cursor, start).join("")));
      }
      nodes.push(el("mark", { class: "gw-hit", text: chars.slice(start, end).join("") }));
      cursor = end;
    });
    if (cursor < chars.length) {
      nodes.push(document.createTextNode(chars.slice(cursor).join("")));
    }
    return nodes;
  }

  function pageErrorText(status) {
    if (status === 401 || status === 403) {
      return "Zugriff verweigert: Der API-Schlüssel fehlt oder ist ungültig.";
    }
    if (status === 404) {
      return "Diese Seite ist nicht gespeichert.";
    }
    if (status === 0) {
      return "Der Server ist nicht erreichbar.";
    }
    return "Die Seite konnte nicht geladen werden.";
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
    this.history = []; // [{role: "user"|"assistant", content}], oldest first
    this.conversation = 0; // bumped by reset(): late answers of an old one are dropped
    this.pending = null;
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
    this.newButton = el("button", {
      type: "button",
      class: "gw-new",
      text: "Neue Unterhaltung",
      title: "Bisherige Fragen vergessen und neu beginnen",
    });
    this.newButton.addEventListener("click", function () {
      self.reset();
    });
    var header = el("header", { class: "gw-header" }, [
      heading,
      el("div", { class: "gw-header-actions" }, [this.newButton]),
    ]);
    this.panel = el(
      "section",
      { class: "gw-panel" + (floating ? " gw-floating" : ""), "aria-labelledby": id + "-title" },
      [header, this.log, form]
    );
    this.source = new SourcePanel(id, floating);
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
      header.lastChild.appendChild(close);
      var toggle = function (open) {
        self.panel.hidden = !open;
        if (!open) {
          self.source.close(false);
        }
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
          if (self.source.isOpen()) {
            self.source.close(true);
          } else {
            toggle(false);
          }
        }
      });
      root.appendChild(launcher);
    }
    root.appendChild(this.panel);
    root.appendChild(this.source.node);
  };

  /* "Neue Unterhaltung": forget the conversation, empty the log, drop a pending answer. */
  Widget.prototype.reset = function () {
    this.conversation += 1;
    if (this.pending) {
      this.pending.abort();
      this.pending = null;
    }
    this.history = [];
    this.entries = 0;
    this.log.textContent = "";
    this.source.close(false);
    this.setBusy(false);
    this.input.value = "";
    this.status.textContent = "Neue Unterhaltung begonnen.";
    this.input.focus();
  };

  /* The turns to send: oldest first, the last HISTORY_TURNS, each at most HISTORY_CHARS. */
  Widget.prototype.historyToSend = function () {
    return this.history.slice(-HISTORY_TURNS).map(function (turn) {
      return { role: turn.role, content: turn.content.slice(0, HISTORY_CHARS) };
    });
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
    var conversation = this.conversation;
    this.entries += 1;
    var entry = this.newEntry(question);
    this.setBusy(true);
    var headers = authHeaders({ "Content-Type": "application/json", Accept: "text/event-stream" });
    var body = { question: question, stream: true };
    if (this.history.length) {
      body.history = this.historyToSend();
    }
    var controller = window.AbortController ? new AbortController() : null;
    this.pending = controller;
    var current = function () {
      return conversation === self.conversation;
    };
    fetch(base + "/ask", {
      method: "POST",
      headers: headers,
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined,
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
          if (!current()) {
            return;
          }
          if (name === "meta") {
            entry.interpreted(data.interpreted_as);
            entry.citations(data.citations || [], data.abstained);
          } else if (name === "delta") {
            text += data.text;
            entry.answer(text, false);
          } else if (name === "done") {
            entry.interpreted(data.interpreted_as);
            entry.answer(data.answer || text, true);
            self.history.push({ role: "user", content: question });
            self.history.push({ role: "assistant", content: data.answer || text });
          }
        });
      })
      .catch(function () {
        if (current()) {
          entry.fail(errorText(0, null));
        }
      })
      .then(function () {
        if (!current()) {
          return;
        }
        self.pending = null;
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
    var source = this.source;
    var interpretedBox = el("p", { class: "gw-interpreted", hidden: true });
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
      interpretedBox,
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
      interpreted: function (text) {
        if (!text) {
          return;
        }
        interpretedBox.textContent = "";
        interpretedBox.appendChild(el("span", { class: "gw-interpreted-label", text: "Verstanden als: " }));
        interpretedBox.appendChild(document.createTextNode(text));
        interpretedBox.hidden = false;
      },
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
          var pageLabel = c.page !== null && c.page !== undefined ? "Seite " + c.page : "Quelle";
          var show = el("button", {
            type: "button",
            class: "gw-open",
            "aria-haspopup": "dialog",
            "aria-controls": source.node.id,
            "aria-label": "Quelle " + c.n + " im Dokument zeigen (" + pageLabel + ")",
            text: pageLabel + " ansehen",
          });
          show.addEventListener("click", function () {
            source.open(c, show);
          });
          list.appendChild(
            el("li", { class: "gw-citation", "data-n": String(c.n) }, [
              el("div", { class: "gw-cite-row" }, [button, c.url ? show : null]),
              passage,
            ])
          );
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

  /*
   * The side panel that shows where a citation leads: the page's text with the cited
   * passage in <mark>, scrolled into view, page by page, with the original at that page.
   * A non-modal dialog: it takes focus when it opens, Escape closes it, and focus goes
   * back to the button that opened it.
   */
  function SourcePanel(id, floating) {
    var self = this;
    this.citation = null;
    this.opener = null;
    this.pageNumber = null;
    this.request = 0;
    this.title = el("h2", { id: id + "-source-title", class: "gw-source-title", tabindex: "-1" });
    this.meta = el("p", { class: "gw-source-meta" });
    this.doc = el("p", { class: "gw-source-doc" });
    this.status = el("p", { class: "gw-source-status", role: "status", "aria-live": "polite" });
    this.text = el("div", {
      class: "gw-page",
      tabindex: "0",
      role: "document",
      "aria-label": "Seitentext",
    });
    this.prev = el("button", { type: "button", class: "gw-page-nav", text: "‹ Vorige Seite" });
    this.next = el("button", { type: "button", class: "gw-page-nav", text: "Nächste Seite ›" });
    this.original = el("a", { class: "gw-original", target: "_blank", rel: "noopener" });
    this.links = el("p", { class: "gw-source-links" });
    var close = el("button", {
      type: "button",
      class: "gw-close gw-source-close",
      "aria-label": "Quellenansicht schließen",
      text: "×",
    });
    this.node = el(
      "aside",
      {
        id: id + "-source",
        class: "gw-source" + (floating ? " gw-source-floating" : ""),
        role: "dialog",
        "aria-modal": "false",
        "aria-labelledby": id + "-source-title",
        hidden: true,
      },
      [
        el("header", { class: "gw-source-head" }, [this.title, close]),
        el("div", { class: "gw-source-info" }, [this.meta, this.doc, this.links]),
        el("nav", { class: "gw-source-nav", "aria-label": "Seiten und Original" }, [
          this.prev,
          this.next,
          this.original,
        ]),
        this.status,
        this.text,
      ]
    );
    close.addEventListener("click", function () {
      self.close(true);
    });
    this.node.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.stopPropagation();
        self.close(true);
      }
    });
    this.prev.addEventListener("click", function () {
      self.show(self.pageNumber - 1);
    });
    this.next.addEventListener("click", function () {
      self.show(self.pageNumber + 1);
    });
    this.original.addEventListener("click", function (event) {
      var c = self.citation;
      openOriginal(event, self.original.href, self.pageNumber, c && isPdf(c.document), function (m) {
        self.status.textContent = m;
      });
    });
  }

  SourcePanel.prototype.isOpen = function () {
    return !this.node.hidden;
  };

  SourcePanel.prototype.open = function (citation, opener) {
    this.citation = citation;
    this.opener = opener || null;
    var speaker = citation.speaker ? speakerLabel(citation.speaker) : "";
    this.title.textContent = "Quelle [" + citation.n + "]";
    this.meta.textContent = [speaker, citationSummary(citation)].filter(Boolean).join(" · ");
    var documentRef = citation.document || {};
    this.doc.textContent = documentRef.title || documentRef.file || "";
    this.links.textContent = "";
    if (citation.session && citation.session.id) {
      this.links.appendChild(
        el("a", {
          href: browseUrl("session=" + encodeURIComponent(citation.session.id)),
          target: "_blank",
          rel: "noopener",
          text: "Sitzung ansehen",
        })
      );
    }
    if (citation.speaker) {
      if (this.links.firstChild) {
        this.links.appendChild(document.createTextNode(" · "));
      }
      this.links.appendChild(
        el("a", {
          href: browseUrl("speaker=" + encodeURIComponent(citation.speaker.code)),
          target: "_blank",
          rel: "noopener",
          text: "Alle Beiträge: " + citation.speaker.name,
        })
      );
    }
    this.node.hidden = false;
    this.title.focus();
    this.show(citation.page || 1);
  };

  SourcePanel.prototype.close = function (restoreFocus) {
    if (this.node.hidden) {
      return;
    }
    this.node.hidden = true;
    this.request += 1; // a page still loading is not shown any more
    if (restoreFocus && this.opener && this.opener.isConnected) {
      this.opener.focus();
    }
  };

  SourcePanel.prototype.show = function (number) {
    var self = this;
    var c = this.citation;
    var documentRef = c.document || {};
    var pages = c.pages || [c.page];
    this.pageNumber = number;
    var request = ++this.request;
    this.text.textContent = "";
    this.text.setAttribute("aria-busy", "true");
    this.text.setAttribute("aria-label", "Text der Seite " + number);
    this.status.textContent = "Seite " + number + " wird geladen …";
    this.navigation(number, documentRef.pages || null);
    var file = base + "/documents/" + encodeURIComponent(documentRef.id) + "/file";
    this.original.href = file + (isPdf(documentRef) ? "#page=" + number : "");
    this.original.textContent = isPdf(documentRef)
      ? "Original öffnen (PDF, Seite " + number + ")"
      : "Original öffnen";
    var url = base + "/documents/" + encodeURIComponent(documentRef.id) + "/pages/" + number;
    fetch(url + "?chunk=" + encodeURIComponent(c.chunk_id), { headers: authHeaders() })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            if (request !== self.request) {
              return;
            }
            if (!response.ok || !body) {
              self.status.textContent = pageErrorText(response.status);
              self.text.setAttribute("aria-busy", "false");
              return;
            }
            self.render(body, pages);
          });
      })
      .catch(function () {
        if (request === self.request) {
          self.status.textContent = pageErrorText(0);
          self.text.setAttribute("aria-busy", "false");
        }
      });
  };

  /* Page buttons for page `number` of `total` (null: not known yet). A button that gets
   * disabled while it has focus hands the focus to the page text, so it is not lost. */
  SourcePanel.prototype.navigation = function (number, total) {
    var focused = this.node.getRootNode().activeElement;
    this.prev.disabled = number <= 1;
    this.next.disabled = total !== null && number >= total;
    if ((focused === this.prev || focused === this.next) && focused.disabled) {
      this.text.focus();
    }
  };

  SourcePanel.prototype.render = function (body, pages) {
    var total = body.document && body.document.pages ? body.document.pages : body.page;
    this.navigation(body.page, total);
    markedText(body.text, body.highlights).forEach(function (node) {
      this.text.appendChild(node);
    }, this);
    this.text.setAttribute("aria-busy", "false");
    var marks = this.text.querySelectorAll("mark");
    var where = "Seite " + body.page + " von " + total;
    if (marks.length) {
      this.status.textContent = where + ": die zitierte Stelle ist markiert.";
      var first = marks[0];
      // scroll the page view only (not the host page) so the passage is in sight
      this.text.scrollTop = Math.max(0, first.offsetTop - this.text.clientHeight / 4);
    } else if (pages.indexOf(body.page) >= 0) {
      this.status.textContent = where + ": die zitierte Stelle ließ sich im Seitentext nicht markieren.";
      this.text.scrollTop = 0;
    } else {
      this.status.textContent = where + ".";
      this.text.scrollTop = 0;
    }
  };

  // The browse page (browse.js) builds its views with the same helpers and labels.
  window.Gremium = window.Gremium || {};
  window.Gremium.ui = {
    base: base,
    el: el,
    germanDate: germanDate,
    sessionLabel: sessionLabel,
    speakerLabel: speakerLabel,
    authHeaders: authHeaders,
    browseUrl: browseUrl,
    isPdf: isPdf,
    openOriginal: openOriginal,
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
