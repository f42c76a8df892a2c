// Floating chat button for any website: <script src="https://BOT-HOST/embed.js" async></script>
// The chat opens in an iframe served by the bot's own origin, so the host page never sees a token
// and Web Chat's styles cannot clash with the site's. Values in {{…}} are filled in by the server.
(function () {
  'use strict';
  if (window.__supportBotEmbed) return;
  window.__supportBotEmbed = true;
  var script = document.currentScript;
  var origin = script && script.src ? new URL(script.src).origin : '{{origin}}';
  var name = {{nameJson}};
  // the button's words in the visitor's language (navigator.languages), English otherwise
  var strings = JSON.parse({{stringsJson}});
  var prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  var lang = 'en';
  for (var i = 0; i < prefs.length; i++) { var l = String(prefs[i] || '').slice(0, 2).toLowerCase(); if (strings[l]) { lang = l; break; } }
  var words = strings[lang] || strings.en;
  var label = (script && script.getAttribute('data-label')) || words.button;
  var primary = {{primaryJson}};
  var onPrimary = {{onPrimaryJson}};

  var css = document.createElement('style');
  css.textContent =
    '.sb-launch{position:fixed;right:20px;bottom:20px;z-index:2147483000;display:flex;align-items:center;gap:8px;border:0;border-radius:28px;padding:14px 20px;font:600 16px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:' + primary + ';color:' + onPrimary + ';box-shadow:0 4px 16px rgba(0,0,0,.25);cursor:pointer}' +
    '.sb-launch:focus-visible{outline:3px solid #000;outline-offset:3px}' +
    '.sb-panel{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:380px;height:600px;max-width:calc(100vw - 24px);max-height:calc(100vh - 110px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden;display:none;flex-direction:column}' +
    '.sb-panel.sb-open{display:flex}' +
    '.sb-bar{display:flex;align-items:center;justify-content:space-between;padding:10px 14px;background:' + primary + ';color:' + onPrimary + ';font:600 15px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}' +
    '.sb-close{border:0;background:transparent;color:inherit;font-size:22px;line-height:1;cursor:pointer;padding:2px 6px}' +
    '.sb-frame{flex:1;border:0;width:100%}' +
    '@media (max-width:480px){.sb-panel{right:0;bottom:0;width:100vw;height:100vh;max-width:none;max-height:none;border-radius:0}}';
  document.head.appendChild(css);

  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'sb-launch';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'sb-panel');
  button.textContent = label;

  var panel = document.createElement('div');
  panel.id = 'sb-panel';
  panel.className = 'sb-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', name + ' chat');
  var bar = document.createElement('div');
  bar.className = 'sb-bar';
  var title = document.createElement('span');
  title.textContent = words.title;
  var close = document.createElement('button');
  close.type = 'button';
  close.className = 'sb-close';
  close.setAttribute('aria-label', words.close);
  close.textContent = '\u00d7';
  bar.appendChild(title);
  bar.appendChild(close);
  panel.appendChild(bar);

  var frame;
  function open() {
    if (!frame) {
      // created on first open: nothing is loaded from the bot until the visitor wants to chat
      frame = document.createElement('iframe');
      frame.className = 'sb-frame';
      frame.title = words.frameTitle;
      frame.src = origin + '/?embed=1&lang=' + lang;
      panel.appendChild(frame);
    }
    panel.classList.add('sb-open');
    button.setAttribute('aria-expanded', 'true');
    frame.focus();
  }
  function hide() {
    panel.classList.remove('sb-open');
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  }
  button.addEventListener('click', function () { panel.classList.contains('sb-open') ? hide() : open(); });
  close.addEventListener('click', hide);
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && panel.classList.contains('sb-open')) hide(); });

  function mount() { document.body.appendChild(panel); document.body.appendChild(button); }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
