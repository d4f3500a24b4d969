/*
 * Gremium browse page: the sessions and speakers the record covers.
 *
 *   /browse                   sessions (date, place, attendance, agenda items with their
 *                             decisions) and speakers
 *   /browse?session=ID        one session: documents, who spoke, per agenda item what was
 *                             decided and said
 *   /browse?speaker=CODE      what one speaker said, by session (newest first) and agenda
 *                             item, and their position on a topic over time
 *
 * A key given as #key=... (as for the widget) is sent with every request and kept on links.
 * Built on the widget's helpers (window.Gremium.ui from widget.js), so labels match.
 */
(function () {
  "use strict";

  var ui = window.Gremium && window.Gremium.ui;
  var main = document.getElementById("gb-main");
  if (!ui || !main) {
    return;
  }
  var el = ui.el;
  var params = new URLSearchParams(location.search);
  var speakerNames = {};
  var KINDS = { land: "Länder", federal: "Bund", body: "Weitere Beteiligte" };
  var ROLES = { statement: "Wortbeitrag", protocol_note: "Protokollnotiz", decision: "Beschluss", text: "Protokolltext" };

  document.querySelectorAll("a[data-keep-key]").forEach(function (link) {
    link.href = link.getAttribute("href") + location.hash;
  });

  function link(query, text) {
    return el("a", { href: "browse?" + query + location.hash, text: text });
  }

  function api(path) {
    return fetch(ui.base + path, { headers: ui.authHeaders({ Accept: "application/json" }) }).then(
      function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            if (!response.ok) {
              var error = new Error(body && body.error ? body.error.message : String(response.status));
              error.status = response.status;
              throw error;
            }
            return body;
          });
      }
    );
  }

  function failure(error) {
    var status = error && error.status;
    var text =
      status === 401 || status === 403
        ? "Zugriff verweigert: Der API-Schlüssel fehlt oder ist ungültig."
        : status === 404
          ? "Nicht gefunden (oder für Ihren Zugang nicht sichtbar)."
          : status === 503
            ? "Der Suchindex wird gerade aufgebaut. Bitte laden Sie die Seite gleich neu."
            : "Die Daten konnten nicht geladen werden.";
    show("Fehler", [el("p", { class: "gb-error", role: "alert", text: text })]);
  }

  function show(title, nodes) {
    document.title = "Gremium – " + title;
    main.textContent = "";
    main.appendChild(el("h1", { text: title }));
    nodes.forEach(function (node) {
      if (node) {
        main.appendChild(node);
      }
    });
    main.setAttribute("aria-busy", "false");
  }

  function names(codes) {
    return codes
      .map(function (code) {
        return speakerNames[code] || code;
      })
      .join(", ");
  }

  function facts(pairs) {
    var list = el("dl", { class: "gb-facts" });
    pairs.forEach(function (pair) {
      if (pair[1]) {
        list.appendChild(el("dt", { text: pair[0] }));
        list.appendChild(el("dd", {}, [pair[1]]));
      }
    });
    return list;
  }

  function sessionFacts(session) {
    return facts([
      ["Datum", ui.germanDate(session.date)],
      ["Ort", session.place],
      ["Anwesend", session.participants && session.participants.length ? names(session.participants) : null],
      ["Entschuldigt", session.absentees && session.absentees.length ? names(session.absentees) : null],
    ]);
  }

  function agendaLabel(item) {
    if (!item) {
      return "Ohne Tagesordnungspunkt";
    }
    return item.number ? "TOP " + item.number + " " + item.title : item.title;
  }

  /* A link to the original file at the passage's page (with the key, fetched first). */
  function originalLink(passage) {
    var documentRef = passage.document || {};
    var pdf = ui.isPdf(documentRef);
    var url = ui.base + "/documents/" + encodeURIComponent(documentRef.id) + "/file";
    var label = passage.page ? "S. " + passage.page : "Original";
    var anchor = el("a", {
      class: "gb-page-link",
      href: url + (pdf && passage.page ? "#page=" + passage.page : ""),
      target: "_blank",
      rel: "noopener",
      title: "Original öffnen" + (documentRef.title ? ": " + documentRef.title : ""),
      text: label,
    });
    anchor.addEventListener("click", function (event) {
      ui.openOriginal(event, url, passage.page, pdf, function (message) {
        anchor.textContent = label + " (" + message + ")";
      });
    });
    return anchor;
  }

  /* One passage: who and what (with a link to the original at its page), then its text.
   * `continued`: the rest of the previous passage's decision, shown without a heading. */
  function passageNode(passage, withSpeaker, continued) {
    if (continued) {
      return el("li", { class: "gb-passage gb-role-" + passage.role + " gb-continued" }, [
        el("blockquote", { text: passage.text }),
      ]);
    }
    var head = el("p", { class: "gb-passage-head" });
    if (withSpeaker && passage.speaker) {
      head.appendChild(link("speaker=" + encodeURIComponent(passage.speaker.code), ui.speakerLabel(passage.speaker)));
      head.appendChild(document.createTextNode(" · "));
    }
    var role = passage.role === "decision" && passage.label ? passage.label : ROLES[passage.role];
    head.appendChild(el("span", { class: "gb-role", text: role || "" }));
    if (passage.speaker && passage.speaker.person) {
      head.appendChild(document.createTextNode(" · " + passage.speaker.person));
    }
    head.appendChild(document.createTextNode(" · "));
    head.appendChild(originalLink(passage));
    return el("li", { class: "gb-passage gb-role-" + passage.role }, [
      head,
      el("blockquote", { text: passage.text }),
    ]);
  }

  // -- overview -----------------------------------------------------------------------------

  function overview() {
    Promise.all([api("/sessions?agenda=true"), api("/speakers")])
      .then(function (lists) {
        var sessions = lists[0].sessions;
        var speakers = lists[1].speakers;
        speakers.forEach(function (s) {
          speakerNames[s.code] = s.name;
        });
        var sessionList = el("ol", { class: "gb-cards", "aria-label": "Sitzungen, neueste zuerst" });
        sessions.forEach(function (session) {
          var agenda = el("ul", { class: "gb-agenda", "aria-label": "Tagesordnung" });
          (session.agenda_items || []).forEach(function (item) {
            var entry = el("li", {}, [agendaLabel(item)]);
            item.decisions.forEach(function (label) {
              entry.appendChild(el("span", { class: "gb-decision", text: label }));
            });
            agenda.appendChild(entry);
          });
          if (!agenda.firstChild) {
            agenda.appendChild(el("li", { class: "gb-muted", text: "Keine Tagesordnungspunkte erkannt." }));
          }
          sessionList.appendChild(
            el("li", { class: "gb-card" }, [
              el("h3", {}, [link("session=" + encodeURIComponent(session.id), session.label)]),
              sessionFacts(session),
              agenda,
            ])
          );
        });
        var speakerSections = Object.keys(KINDS).map(function (kind) {
          var ofKind = speakers.filter(function (s) {
            return s.kind === kind;
          });
          if (!ofKind.length) {
            return null;
          }
          return el("section", { class: "gb-speakers" }, [
            el("h3", { text: KINDS[kind] }),
            el(
              "ul",
              { class: "gb-speaker-list" },
              ofKind.map(function (s) {
                return el("li", {}, [
                  link("speaker=" + encodeURIComponent(s.code), ui.speakerLabel(s)),
                  el("span", { class: "gb-count", text: " " + s.passages + " Passagen" }),
                ]);
              })
            ),
          ]);
        });
        show("Sitzungen und Beteiligte", [
          el("section", { "aria-labelledby": "gb-sessions" }, [
            el("h2", { id: "gb-sessions", text: "Sitzungen" }),
            sessions.length ? sessionList : el("p", { text: "Noch keine Sitzungen im Index." }),
          ]),
          el("section", { "aria-labelledby": "gb-speakers" }, [
            el("h2", { id: "gb-speakers", text: "Beteiligte" }),
          ].concat(speakerSections)),
        ]);
      })
      .catch(failure);
  }

  // -- one session --------------------------------------------------------------------------

  function sessionView(id) {
    Promise.all([api("/sessions/" + encodeURIComponent(id)), api("/speakers")])
      .then(function (results) {
        var detail = results[0];
        results[1].speakers.forEach(function (s) {
          speakerNames[s.code] = s.name;
        });
        var session = detail.session;
        var documents = el(
          "ul",
          { class: "gb-documents" },
          detail.documents.map(function (d) {
            return el("li", {}, [originalLink({ document: d, page: null }), " ", d.title]);
          })
        );
        var spoke = el("p", { class: "gb-spoke" }, ["Wortmeldungen: "]);
        detail.speakers.forEach(function (s, i) {
          if (i) {
            spoke.appendChild(document.createTextNode(", "));
          }
          spoke.appendChild(link("speaker=" + encodeURIComponent(s.code), ui.speakerLabel(s)));
        });
        var items = detail.agenda_items.map(function (item) {
          var decided = [];
          item.decisions.forEach(function (decision) {
            decision.passages.forEach(function (p, i) {
              decided.push(passageNode(p, false, i > 0));
            });
          });
          var decisions = decided.length
            ? el("div", { class: "gb-decisions" }, [
                el("h4", { text: item.decisions.length === 1 ? "Beschluss" : "Beschlüsse" }),
                el("ul", { class: "gb-passages" }, decided),
              ])
            : null;
          var said = item.passages.filter(function (p) {
            return p.role !== "decision";
          });
          return el("section", { class: "gb-item" }, [
            el("h3", { text: agendaLabel(item.agenda_item) }),
            decisions,
            said.length
              ? el("ul", { class: "gb-passages", "aria-label": "Protokoll" }, said.map(function (p) {
                  return passageNode(p, true);
                }))
              : null,
          ]);
        });
        show(session.label, [
          el("p", { class: "gb-back" }, [link("", "‹ Alle Sitzungen")]),
          sessionFacts(session),
          detail.speakers.length ? spoke : null,
          el("h2", { text: "Dokumente" }),
          documents,
          el("h2", { text: "Tagesordnung" }),
        ].concat(items));
      })
      .catch(failure);
  }

  // -- one speaker --------------------------------------------------------------------------

  function speakerView(code, offset) {
    var query = "?limit=20&offset=" + offset;
    api("/speakers/" + encodeURIComponent(code) + query)
      .then(function (detail) {
        var speaker = detail.speaker;
        var sessions = detail.sessions.map(function (entry) {
          var session = entry.session;
          var heading = session
            ? link("session=" + encodeURIComponent(session.id), ui.sessionLabel(session))
            : "Ohne Sitzung";
          return el("section", { class: "gb-item" }, [
            el("h3", {}, [heading]),
          ].concat(entry.agenda_items.map(function (item) {
            return el("div", { class: "gb-subitem" }, [
              el("h4", { text: agendaLabel(item.agenda_item) }),
              el("ul", { class: "gb-passages" }, item.passages.map(function (p) {
                return passageNode(p, false);
              })),
            ]);
          })));
        });
        var more = null;
        if (detail.offset + detail.sessions.length < detail.total_sessions) {
          more = el("p", {}, [
            el("a", {
              href: "browse?speaker=" + encodeURIComponent(speaker.code) + "&offset=" + (detail.offset + detail.limit) + location.hash,
              text: "Ältere Sitzungen ›",
            }),
          ]);
        }
        show(ui.speakerLabel(speaker), [
          el("p", { class: "gb-back" }, [link("", "‹ Alle Beteiligten")]),
          el("p", { class: "gb-lead", text: speaker.passages + " Passagen in " + detail.total_sessions + " Sitzung(en)." }),
          topicForm(speaker),
          el("h2", { text: "Beiträge nach Sitzung (neueste zuerst)" }),
        ].concat(sessions, [more]));
      })
      .catch(failure);
  }

  /* "Haltung im Zeitverlauf": the speaker's statements on a topic, oldest session first. */
  function topicForm(speaker) {
    var input = el("input", { id: "gb-topic", type: "search", maxlength: "500", placeholder: "z. B. Cloud" });
    var results = el("div", { class: "gb-topic-results", "aria-live": "polite" });
    var form = el("form", { class: "gb-topic", role: "search", "aria-label": "Haltung zu einem Thema" }, [
      el("h2", { text: "Haltung zu einem Thema im Zeitverlauf" }),
      el("label", { for: "gb-topic", text: "Thema" }),
      el("div", { class: "gb-topic-row" }, [input, el("button", { type: "submit", text: "Anzeigen" })]),
      results,
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var topic = input.value.trim();
      if (!topic) {
        input.focus();
        return;
      }
      results.textContent = "Wird gesucht …";
      api("/speakers/" + encodeURIComponent(speaker.code) + "/statements?topic=" + encodeURIComponent(topic))
        .then(function (body) {
          results.textContent = "";
          if (!body.count) {
            results.appendChild(el("p", { text: "Keine Aussagen von " + speaker.name + " zu „" + topic + "“ gefunden." }));
            return;
          }
          var timeline = el("ol", { class: "gb-timeline", "aria-label": "Aussagen, älteste zuerst" });
          body.sessions.forEach(function (entry) {
            timeline.appendChild(
              el("li", {}, [
                el("h3", { text: entry.session ? ui.sessionLabel(entry.session) : "Ohne Sitzung" }),
                el("ul", { class: "gb-passages" }, entry.citations.map(function (c) {
                  var node = passageNode(c, false);
                  node.firstChild.insertBefore(
                    el("span", { class: "gb-n", text: "[" + c.n + "] " + agendaLabel(c.agenda_item) + " · " }),
                    node.firstChild.firstChild
                  );
                  return node;
                })),
              ])
            );
          });
          results.appendChild(timeline);
        })
        .catch(function (error) {
          results.textContent = error && error.status === 422 ? "Bitte ein Thema angeben." : "Die Suche ist fehlgeschlagen.";
        });
    });
    return form;
  }

  if (params.get("session")) {
    sessionView(params.get("session"));
  } else if (params.get("speaker")) {
    speakerView(params.get("speaker"), Math.max(0, parseInt(params.get("offset") || "0", 10) || 0));
  } else {
    overview();
  }
})();
