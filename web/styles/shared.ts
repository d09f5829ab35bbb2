import { css } from 'lit';

/** Styles every page shares: finger-sized controls (44 px at least), readable type, one palette. */
export const sharedStyles = css`
  :host {
    display: block;
    font-family: var(--sc-font);
    color: var(--sc-fg);
  }
  button,
  .btn {
    font: inherit;
    min-height: 44px;
    min-width: 44px;
    padding: 0 18px;
    border-radius: 8px;
    border: 1px solid var(--sc-line);
    background: var(--sc-card);
    color: var(--sc-fg);
    cursor: pointer;
    touch-action: manipulation;
  }
  button.primary,
  .btn.primary {
    background: var(--sc-accent);
    border-color: var(--sc-accent);
    color: #fff;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  a:focus-visible {
    outline: 3px solid var(--sc-focus);
    outline-offset: 2px;
  }
  input,
  select,
  textarea {
    font: inherit;
    min-height: 44px;
    padding: 0 12px;
    border: 1px solid var(--sc-line);
    border-radius: 8px;
    background: #fff;
    color: var(--sc-fg);
    max-width: 100%;
  }
  label {
    display: block;
    font-size: 15px;
    color: var(--sc-muted);
    margin: 12px 0 4px;
  }
  .card {
    background: var(--sc-card);
    border: 1px solid var(--sc-line);
    border-radius: 12px;
    padding: 16px;
  }
  .error {
    color: var(--sc-danger);
  }
  .muted {
    color: var(--sc-muted);
  }
  /* For screen readers only: a label the layout already makes clear to the eye. */
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 8px;
    border-bottom: 1px solid var(--sc-line);
  }
  .num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
`;
