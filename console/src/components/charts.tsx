import { useState } from 'preact/hooks';

import { formatNumber } from '../i18n';

export interface Bar {
    label: string;
    /** Shown in the tooltip instead of the label (e.g. a full date). */
    title?: string;
    segments: { key: string; value: number }[];
}

interface Hover {
    bar: Bar;
    key?: string;
    value: number;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 40 };

/** The bar, and the segment when it is not the bar itself (a one-value chart). */
function tooltipLabel(hover: Hover, keyLabel: (key: string) => string): string {
    const bar = hover.bar.title ?? hover.bar.label;
    const segment = hover.key === undefined ? bar : keyLabel(hover.key);
    return segment === bar ? bar : `${bar} · ${segment}`;
}

/** Series colours by position, from the stylesheet (`.series-0` … `.series-7`), so the chart follows the theme. */
function seriesIndex(keys: string[], key: string): number {
    return Math.max(0, keys.indexOf(key)) % 8;
}

/**
 * Bars, stacked by segment, as SVG. Every bar and segment is focusable and names its numbers: a tooltip on hover or
 * focus, and a `<title>` for screen readers and the browser's own tooltip. Labels are text nodes, never markup.
 */
export function StackedBars(props: { bars: Bar[]; keys: string[]; keyLabel: (key: string) => string; label: string }) {
    const [hover, setHover] = useState<Hover | undefined>(undefined);
    const { bars, keys } = props;
    const max = Math.max(1, ...bars.map((b) => b.segments.reduce((s, x) => s + x.value, 0)));
    const innerW = WIDTH - PAD.left - PAD.right;
    const innerH = HEIGHT - PAD.top - PAD.bottom;
    const step = innerW / Math.max(1, bars.length);
    const barW = Math.max(2, Math.min(48, step * 0.7));
    const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
    const labelEvery = Math.max(1, Math.ceil(bars.length / 10));
    const total = (b: Bar) => b.segments.reduce((s, x) => s + x.value, 0);
    return (
        <figure class="chart">
            <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.label} class="chart-svg">
                {[0, 0.5, 1].map((f) => (
                    <g key={f}>
                        <line class="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * f)} y2={y(max * f)} />
                        <text class="axis" x={PAD.left - 6} y={y(max * f) + 4} text-anchor="end">
                            {formatNumber(Math.round(max * f))}
                        </text>
                    </g>
                ))}
                {bars.map((bar, i) => {
                    const x = PAD.left + i * step + (step - barW) / 2;
                    let acc = 0;
                    return (
                        <g key={bar.label}>
                            {bar.segments
                                .filter((s) => s.value > 0)
                                .map((s) => {
                                    const top = y(acc + s.value);
                                    const h = y(acc) - top;
                                    acc += s.value;
                                    const show = () => setHover({ bar, key: s.key, value: s.value });
                                    return (
                                        <rect
                                            key={s.key}
                                            class={`bar series-${seriesIndex(keys, s.key)}`}
                                            x={x}
                                            y={top}
                                            width={barW}
                                            height={Math.max(0.5, h)}
                                            tabIndex={0}
                                            onMouseEnter={show}
                                            onFocus={show}
                                            onMouseLeave={() => setHover(undefined)}
                                            onBlur={() => setHover(undefined)}
                                        >
                                            <title>{`${bar.title ?? bar.label} · ${props.keyLabel(s.key)}: ${formatNumber(s.value)}`}</title>
                                        </rect>
                                    );
                                })}
                            {i % labelEvery === 0 ? (
                                <text class="axis" x={x + barW / 2} y={HEIGHT - 8} text-anchor="middle">
                                    {bar.label}
                                </text>
                            ) : null}
                        </g>
                    );
                })}
            </svg>
            <div class="chart-tooltip" aria-live="polite">
                {hover === undefined
                    ? '\u00a0'
                    : `${tooltipLabel(hover, props.keyLabel)}: ${formatNumber(hover.value)} / ${formatNumber(total(hover.bar))}`}
            </div>
            {keys.length > 1 ? (
                <figcaption class="legend">
                    {keys.map((k) => (
                        <span key={k} class="legend-item">
                            <span class={`swatch series-${seriesIndex(keys, k)}`} aria-hidden="true" />
                            {props.keyLabel(k)}
                        </span>
                    ))}
                </figcaption>
            ) : null}
        </figure>
    );
}

/** One value per bar (a mix such as grades): the same chart with one segment each, coloured per bar. */
export function SimpleBars(props: {
    items: { key: string; value: number }[];
    keyLabel: (key: string) => string;
    label: string;
}) {
    const keys = props.items.map((i) => i.key);
    return (
        <StackedBars
            label={props.label}
            keys={keys}
            keyLabel={props.keyLabel}
            bars={props.items.map((i) => ({
                label: props.keyLabel(i.key),
                segments: [{ key: i.key, value: i.value }],
            }))}
        />
    );
}
