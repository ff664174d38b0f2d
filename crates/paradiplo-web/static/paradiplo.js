// Progressive enhancement of the page feedback: everything works without
// this file (plain form posts); with it, "No" opens the reasons in place
// and answers are sent to /api/v1/feedback without leaving the page.
(function () {
  "use strict";
  var box = document.getElementById("feedback");
  if (!box || !window.fetch) return;
  var ask = box.querySelector(".fb-ask");
  var details = box.querySelector(".fb-details");
  var thanks = box.querySelector(".thanks");
  if (!ask || !details || !thanks) return;

  function done() {
    ask.hidden = true;
    details.hidden = true;
    thanks.hidden = false;
    thanks.setAttribute("tabindex", "-1");
    thanks.focus();
  }

  function send(form, answer) {
    var data = new FormData(form);
    var body = {
      page: data.get("page") || "",
      answer: answer,
      reason: data.get("reason") || null,
      comment: data.get("comment") || null,
      website: data.get("website") || null
    };
    return fetch(box.getAttribute("data-api"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (res) {
      if (res.ok) { done(); } else { form.submit(); }
    }, function () { form.submit(); });
  }

  ask.addEventListener("submit", function (ev) {
    var answer = ev.submitter && ev.submitter.value;
    if (answer === "no") {
      ev.preventDefault();
      ask.hidden = true;
      details.hidden = false;
      var first = details.querySelector("input[type=radio]");
      if (first) first.focus();
    } else if (answer === "yes") {
      ev.preventDefault();
      send(ask, "yes");
    }
  });

  details.addEventListener("submit", function (ev) {
    ev.preventDefault();
    send(details, "no");
  });
})();
