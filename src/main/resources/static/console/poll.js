// Polling, the console's way of staying live: the next request is sent a fixed interval after the
// previous answer (never two in flight), nothing is sent while the tab is hidden, and failures back
// off up to half a minute.

export function poll(task, intervalMs = 2000) {
  let timer = null;
  let stopped = false;
  let delay = intervalMs;

  const run = async () => {
    timer = null;
    if (stopped) return;
    if (document.hidden) { schedule(intervalMs); return; }
    let again = true;
    try {
      again = (await task()) !== false;
      delay = intervalMs;
    } catch (e) {
      delay = Math.min(delay * 2, 30000);
    }
    if (again) schedule(delay);
  };
  const schedule = (ms) => { if (!stopped) timer = setTimeout(run, ms); };
  const onVisible = () => { if (!document.hidden && timer !== null) { clearTimeout(timer); run(); } };
  document.addEventListener('visibilitychange', onVisible);
  run();
  return {
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    },
    now() { if (timer !== null) { clearTimeout(timer); run(); } },
  };
}
