/* The upload page: sends one file with the tus resumable upload protocol (tus-js-client), shows its progress,
   resumes after a dropped connection, then shows what the bot made of the file. */
"use strict";

(function () {
  const form = document.getElementById("upload-form");
  if (!form) {
    return;
  }
  const fileInput = document.getElementById("file");
  const sendButton = document.getElementById("send");
  const cancelButton = document.getElementById("cancel");
  const area = document.getElementById("progress-area");
  const bar = document.getElementById("progress");
  const barText = document.getElementById("progress-text");
  const status = document.getElementById("status");
  const endpoint = form.dataset.endpoint;
  const statusUrl = form.dataset.status;
  const chunkBytes = Number(form.dataset.chunkBytes);
  let upload = null;
  let lastAnnounced = -1;

  const expiry = document.getElementById("expiry");
  if (expiry) {
    const when = new Date(expiry.getAttribute("datetime"));
    if (!Number.isNaN(when.getTime())) {
      expiry.textContent = when.toLocaleString(undefined, { dateStyle: "long", timeStyle: "short" });
    }
  }

  function sizeText(bytes) {
    const units = [["GB", 1024 ** 3], ["MB", 1024 ** 2], ["KB", 1024]];
    for (const [unit, scale] of units) {
      if (bytes >= scale) {
        const value = bytes / scale;
        return (value < 100 ? Number(value.toFixed(1)) : Math.round(value)) + " " + unit;
      }
    }
    return bytes + " bytes";
  }

  function say(text, kind) {
    status.textContent = text;
    status.className = kind || "";
  }

  function settle(text, kind) {
    say(text, kind);
    status.focus();
  }

  function busy(on) {
    fileInput.disabled = on;
    sendButton.disabled = on;
    cancelButton.hidden = !on;
  }

  function showProgress(sent, total) {
    const percent = total > 0 ? Math.floor((sent / total) * 100) : 0;
    bar.value = percent;
    bar.setAttribute("aria-valuetext", percent + "%");
    barText.textContent = percent + "% sent (" + sizeText(sent) + " of " + sizeText(total) + ")";
    const step = Math.floor(percent / 10) * 10;
    if (step > lastAnnounced && step < 100) {
      lastAnnounced = step;
      say("Sending: " + step + "% sent.");
    }
  }

  function responseText(error) {
    const response = error && error.originalResponse;
    const body = response ? response.getBody() : "";
    if (body && body.trim()) {
      return body.trim();
    }
    if (response) {
      return "The server refused the file (status " + response.getStatus() + ").";
    }
    return "The connection failed and could not be resumed. Choose the file again to pick up where it stopped.";
  }

  function shouldRetry(error) {
    const response = error && error.originalResponse;
    const code = response ? response.getStatus() : 0;
    const retry = !(code >= 400 && code < 500) || code === 409 || code === 423;
    if (retry) {
      say("The connection was interrupted. Resuming where it stopped…");
    }
    return retry;
  }

  async function waitForResult() {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      try {
        const response = await fetch(statusUrl, { cache: "no-store", credentials: "omit" });
        if (response.ok) {
          const result = await response.json();
          if (result.status === "complete") {
            settle(result.message, "ok");
            return;
          }
          if (result.status === "refused") {
            settle(result.message, "error");
            return;
          }
        }
      } catch (ignored) {
        // The connection dropped while waiting: ask again.
      }
      await new Promise((resolve) => setTimeout(resolve, attempt < 10 ? 500 : 2000));
    }
    settle("The file arrived whole. The bot has not answered yet; it will tell you in Discord.", "ok");
  }

  function start(file) {
    lastAnnounced = -1;
    area.hidden = false;
    showProgress(0, file.size);
    busy(true);
    say("Starting to send " + file.name + " (" + sizeText(file.size) + ").");
    upload = new tus.Upload(file, {
      endpoint: endpoint,
      chunkSize: chunkBytes > 0 ? chunkBytes : Infinity,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      metadata: { filename: file.name, filetype: file.type || "application/octet-stream" },
      removeFingerprintOnSuccess: true,
      onShouldRetry: shouldRetry,
      onProgress: showProgress,
      onError: function (error) {
        busy(false);
        upload = null;
        settle(responseText(error), "error");
      },
      onSuccess: function () {
        upload = null;
        bar.value = 100;
        bar.setAttribute("aria-valuetext", "100%");
        barText.textContent = "100% sent (" + sizeText(file.size) + ").";
        cancelButton.hidden = true;
        say("The file arrived whole. Checking it…");
        waitForResult();
      },
    });
    upload
      .findPreviousUploads()
      .then(function (previous) {
        if (previous.length > 0) {
          upload.resumeFromPreviousUpload(previous[0]);
          say("Resuming an earlier upload of " + file.name + ".");
        }
      })
      .catch(function () {
        // No record of earlier uploads (storage blocked): start afresh.
      })
      .then(function () {
        upload.start();
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const file = fileInput.files && fileInput.files[0];
    if (!file) {
      settle("Choose a file first.", "error");
      fileInput.focus();
      return;
    }
    start(file);
  });

  cancelButton.addEventListener("click", function () {
    if (upload) {
      upload.abort(true);
      upload = null;
    }
    busy(false);
    area.hidden = true;
    settle("Upload cancelled. Nothing was kept; you can choose a file again.", "");
    fileInput.focus();
  });
})();
