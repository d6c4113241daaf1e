// Apache ECharts (served by the engine from its WebJar): one place that makes and disposes charts, and marks when the
// page's first chart first showed (performance.mark 'siyu:first-chart') and when a chart had finished its entrance
// animation ('siyu:chart-settled', data-drawn on its element): the browser tests read them.
const charts = [];

function markOnce(name) {
  if (performance.getEntriesByName(name).length === 0) performance.mark(name);
}

export function chart(container, option) {
  const instance = window.echarts.init(container, null, { renderer: 'canvas' });
  instance.on('rendered', () => markOnce('siyu:first-chart'));
  instance.on('finished', () => {
    markOnce('siyu:chart-settled');
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
