// Orders and refunds per day as an inline SVG bar chart, drawn here (no library).
const SVG = "http://www.w3.org/2000/svg";
const MARGIN = { top: 16, right: 12, bottom: 34, left: 36 };
const MAX_DAYS = 31;
const MIN_DAYS = 7;

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  for (const child of children) node.append(child);
  return node;
}

/** `2024-05-01` plus `n` days. */
export function addDays(day, n) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

/**
 * Continuous days from the first to the last one with data (at most the last 31, at least 7),
 * each with its counts.
 * @param {Map<string, {orders: number, refunds: number}>} counts by `YYYY-MM-DD`
 */
export function dayRange(counts) {
  const days = [...counts.keys()].sort();
  if (days.length === 0) return [];
  const last = days[days.length - 1];
  let first = days[0] < addDays(last, -(MAX_DAYS - 1)) ? addDays(last, -(MAX_DAYS - 1)) : days[0];
  if (first > addDays(last, -(MIN_DAYS - 1))) first = addDays(last, -(MIN_DAYS - 1));
  const range = [];
  for (let day = first; day <= last; day = addDays(day, 1)) {
    const count = counts.get(day) || { orders: 0, refunds: 0 };
    range.push({ day, orders: count.orders, refunds: count.refunds });
  }
  return range;
}

function niceMaximum(value) {
  if (value <= 4) return Math.max(1, value);
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return value;
}

/**
 * Draws the chart into `container`, replacing what was there.
 * @param {HTMLElement} container
 * @param {{day: string, orders: number, refunds: number}[]} days
 */
export function drawChart(container, days) {
  // Drawn at the container's own width, so the labels keep their real size on a phone.
  const WIDTH = Math.max(300, Math.round(container.clientWidth || 960));
  const HEIGHT = WIDTH < 600 ? 210 : 250;
  const totalOrders = days.reduce((sum, day) => sum + day.orders, 0);
  const totalRefunds = days.reduce((sum, day) => sum + day.refunds, 0);
  const description = days.length === 0
    ? "No orders yet."
    : `${totalOrders} orders and ${totalRefunds} refunds from ${days[0].day} to ${days[days.length - 1].day}.`;
  const chart = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "chart", role: "img", "aria-labelledby": "chart-svg-title chart-svg-desc", id: "orders-chart",
  }, svg("title", { id: "chart-svg-title" }, "Orders and refunds per day"), svg("desc", { id: "chart-svg-desc" }, description));

  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const bottom = MARGIN.top + plotHeight;
  const maximum = niceMaximum(Math.max(0, ...days.map((day) => Math.max(day.orders, day.refunds))));

  const ticks = Math.min(4, maximum);
  const grid = svg("g", { class: "grid" });
  for (let i = 0; i <= ticks; i++) {
    const value = Math.round((maximum / ticks) * i * 100) / 100;
    const y = bottom - (value / maximum) * plotHeight;
    grid.append(svg("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y, y2: y }));
    grid.append(svg("text", { x: MARGIN.left - 8, y: y + 4, "text-anchor": "end" }, String(value)));
  }
  chart.append(grid, svg("line", { class: "axis", x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: bottom, y2: bottom }));

  if (days.length === 0) {
    chart.append(svg("text", { class: "empty", x: WIDTH / 2, y: MARGIN.top + plotHeight / 2, "text-anchor": "middle" },
      "No orders yet: they appear here as webhooks arrive."));
    container.replaceChildren(chart);
    return;
  }

  const slot = plotWidth / days.length;
  const barWidth = Math.max(2, Math.min(22, (slot - 6) / 2));
  const labelEvery = Math.ceil(days.length / Math.max(3, Math.floor(WIDTH / 70)));
  const bars = svg("g", { class: "bars" });
  days.forEach((day, index) => {
    const center = MARGIN.left + slot * index + slot / 2;
    for (const [series, offset] of [["orders", -barWidth], ["refunds", 0]]) {
      const value = day[series];
      const height = (value / maximum) * plotHeight;
      const bar = svg("rect", {
        class: `bar-${series}`, x: center + offset, y: bottom - height, width: barWidth, height: Math.max(0, height), rx: 2,
        "data-day": day.day, "data-value": value,
      }, svg("title", {}, `${day.day}: ${value} ${series === "orders" ? (value === 1 ? "order" : "orders") : (value === 1 ? "refund" : "refunds")}`));
      bars.append(bar);
    }
    if (index % labelEvery === 0) {
      bars.append(svg("text", { x: center, y: bottom + 18, "text-anchor": "middle" }, day.day.slice(5)));
    }
  });
  chart.append(bars);
  container.replaceChildren(chart);
}
