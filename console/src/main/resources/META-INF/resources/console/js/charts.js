// Apache ECharts (served by the engine from its WebJar): one place that makes and disposes charts, and marks when the
// first chart of a page has drawn (performance.mark 'siyu:first-chart', read by the browser tests).
const charts = [];

export function chart(container, option) {
  const instance = window.echarts.init(container, null, { renderer: 'canvas' });
  instance.on('finished', () => {
    if (performance.getEntriesByName('siyu:first-chart').length === 0) {
      performance.mark('siyu:first-chart');
    }
    container.dataset.drawn = 'true';
  });
  instance.setOption(option);
  charts.push(instance);
  return instance;
}

export function disposeCharts() {
  while (charts.length) {
    charts.pop().dispose();
  }
}

window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

export const COLORS = ['#07c160', '#3370ff', '#ff8800', '#d83931', '#7f3bf5', '#14c0ff'];
