// Small live line charts in SVG, no library: a fixed-length history per
// series, redrawn on every sample.

const SVG = 'http://www.w3.org/2000/svg';

/** A chart of up to `points` samples for each of `series` lines. */
export class LineChart {
  /**
   * @param {SVGSVGElement} svg the target (viewBox 0 0 300 90)
   * @param {number} series how many lines (styled .s0, .s1, ...)
   */
  constructor(svg, series, { points = 60, unit = '' } = {}) {
    this.svg = svg;
    this.points = points;
    this.unit = unit;
    this.data = Array.from({ length: series }, () => []);
  }

  /** Appends one sample per series (null: no value this time). */
  push(values) {
    values.forEach((v, i) => {
      const line = this.data[i];
      line.push(Number.isFinite(v) ? v : null);
      if (line.length > this.points) line.shift();
    });
    this.draw();
  }

  /** The largest value shown, rounded up to a readable scale. */
  scale() {
    let max = 0;
    for (const line of this.data) for (const v of line) if (v !== null && v > max) max = v;
    if (max <= 0) return 1;
    const step = 10 ** Math.floor(Math.log10(max));
    return Math.ceil(max / step) * step;
  }

  draw() {
    const W = 300;
    const H = 90;
    const top = 10;
    const max = this.scale();
    const y = (v) => H - 2 - ((H - top - 4) * v) / max;
    const x = (i) => (W * i) / (this.points - 1);
    const parts = [];
    for (const f of [0, 0.5, 1]) {
      const yy = y(max * f).toFixed(1);
      parts.push(`<line class="grid" x1="0" x2="${W}" y1="${yy}" y2="${yy}"/>`);
    }
    parts.push(`<text x="2" y="8">${format(max)}${this.unit}</text>`);
    this.data.forEach((line, s) => {
      const offset = this.points - line.length;
      // A gap (null) splits the line into segments.
      let seg = [];
      const flush = () => {
        if (seg.length > 1) parts.push(`<polyline class="s${s}" points="${seg.join(' ')}"/>`);
        seg = [];
      };
      line.forEach((v, i) => {
        if (v === null) return flush();
        seg.push(`${x(offset + i).toFixed(1)},${y(v).toFixed(1)}`);
      });
      flush();
    });
    const g = document.createElementNS(SVG, 'g');
    g.innerHTML = parts.join('');
    this.svg.replaceChildren(g);
  }
}

/** 1234 -> "1.2k", 0.5 -> "0.5". */
export function format(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 100 || Number.isInteger(v)) return `${Math.round(v)}`;
  return v.toFixed(1);
}
