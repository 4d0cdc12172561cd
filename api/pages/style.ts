import { isAccentColor, onAccent } from '../../domain/event-look';

export { onAccent };

/**
 * The pages' one stylesheet, served by Roster (no CDN, system fonts). Logical properties, so
 * right-to-left pages mirror by themselves. The accent comes from each event's theme.css.
 */
export const STYLESHEET = `
:root { --accent: #2454c5; --on-accent: #ffffff; --text: #1b1d21; --muted: #50555e; --line: #d5d8de; --bg: #f4f5f7; color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", "Noto Sans CJK JP", sans-serif; }
main { max-width: 38rem; margin: 2rem auto; padding: 0 1rem; }
.card { background: #fff; border: 1px solid var(--line); border-block-start: 6px solid var(--accent); border-radius: 8px; padding: 1.5rem; }
header.event { display: flex; align-items: center; gap: 0.75rem; margin-block-end: 1rem; }
header.event img { max-height: 48px; max-width: 160px; }
header.event .name { font-weight: 600; color: var(--muted); }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 0.75rem; }
h2 { font-size: 1.1rem; margin: 1.25rem 0 0.5rem; }
p { margin: 0 0 0.75rem; }
.muted { color: var(--muted); }
ul.sessions { list-style: none; padding: 0; margin: 0 0 1rem; }
ul.sessions li { padding: 0.5rem 0; border-block-end: 1px solid var(--line); }
ul.sessions .when { display: block; color: var(--muted); font-size: 0.9rem; }
form { margin: 1rem 0 0; }
label { display: block; font-weight: 600; margin: 0.75rem 0 0.25rem; }
input[type=text], input[type=email] { width: 100%; padding: 0.6rem 0.7rem; font: inherit; border: 1px solid #8a909a; border-radius: 6px; background: #fff; color: var(--text); }
button, .button { display: inline-block; margin-block-start: 1rem; padding: 0.65rem 1.2rem; font: inherit; font-weight: 600; border: 2px solid var(--accent); border-radius: 6px; background: var(--accent); color: var(--on-accent); text-decoration: none; cursor: pointer; }
button.secondary, .button.secondary { background: #fff; color: var(--text); border-color: #8a909a; }
button.danger { background: #b3261e; border-color: #b3261e; color: #fff; }
:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }
.status { display: inline-block; padding: 0.15rem 0.6rem; border-radius: 999px; background: #e7ebf3; font-weight: 600; }
.notice { padding: 0.75rem 1rem; border-radius: 6px; background: #fff6db; border: 1px solid #e9d38a; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0 0 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
`;

/** The event's colours, as a stylesheet of its own: the CSP allows no inline styles. */
export function themeCss(accent: string | null | undefined): string {
  if (!isAccentColor(accent)) return '';
  return `:root { --accent: ${accent}; --on-accent: ${onAccent(accent)}; }\n`;
}
