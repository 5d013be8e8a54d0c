/* Work in turn: each job in a task of its own, so that no part of the page holds the tab.

A browser draws and answers clicks only between tasks. The page's parts redraw after a run,
a what-if or a change of language; given one task each (and part 3 one per heat map), the
longest task is one part's, not all of theirs (budget.js counts on it). `data-busy` on <html>
says jobs are waiting: the tests wait for it to go.

A classic script: it defines the one global `SineLater`, a function: `SineLater(job, …)`.
*/
const SineLater = (() => {
  "use strict";

  const queue = []; // jobs waiting for their task, in order
  const channel = new MessageChannel(); // a task soon, without setTimeout's 4 ms
  channel.port1.onmessage = () => {
    try {
      queue.shift()();
    } finally {
      if (queue.length) channel.port2.postMessage(null);
      else delete document.documentElement.dataset.busy;
    }
  };

  /** Run `jobs` one task each, after the jobs already waiting. */
  return (...jobs) => {
    if (!jobs.length) return;
    if (!queue.length) channel.port2.postMessage(null);
    queue.push(...jobs);
    document.documentElement.dataset.busy = "1";
  };
})();
