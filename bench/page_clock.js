/* make bench-web: a click on the page, timed until what it changes is drawn and painted.

Evaluated in web/index.html by sine_lstm/bench/web.py, with [selector, what, last]: click the
element `selector`; `what` is "train" (the fit reaches step `last`) or "whatif" (the what-if's
plot shows something new). Resolves to {drawn, painted}, ms from the click: drawn, when the
page has drawn it (the DOM changed with the canvas, in the same task); painted, when the next
frame has been painted (a task posted from that frame's requestAnimationFrame runs after it).

The page is read from outside: the fit's caption ("step 199 …") and the what-if's cost line;
`data-drawn` and `data-what-if` on <body> win if the page sets them. No eval: the page's
Content-Security-Policy forbids it.
*/
async ([selector, what, last]) => {
  const target = document.querySelector(selector);
  if (target === null) throw new Error(`the page has nothing that matches ${selector}`);
  const hooks = document.body.dataset;
  const text = (id) => document.getElementById(id).textContent;
  const caption = () => Number((text("caption").match(/\d+/) || [-1])[0]); // "step 199 …"
  const step = () => (hooks.drawn !== undefined ? Number(hooks.drawn) : caption());
  const shown = () => hooks.whatIf ?? text("whatif-cost");
  const before = shown();
  let cleared = false; // the last run's fit is gone: a new one is being drawn
  const done = () => {
    if (what !== "train") return shown() !== before;
    if (step() < last) cleared = true;
    return cleared && step() >= last;
  };
  return new Promise((resolve) => {
    let t0 = 0;
    const timer = setTimeout(() => resolve({ drawn: NaN, painted: NaN }), 60000);
    const observer = new MutationObserver(() => done() && finish());
    const finish = () => {
      observer.disconnect();
      const drawn = performance.now() - t0;
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          clearTimeout(timer);
          resolve({ drawn, painted: performance.now() - t0 });
        };
        channel.port2.postMessage(null);
      });
    };
    const everything = { subtree: true, childList: true, characterData: true, attributes: true };
    observer.observe(document.body, everything);
    t0 = performance.now();
    target.click();
    if (done()) finish(); // drawn within the click's own handler
  });
};
