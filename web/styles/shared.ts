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
  /* A link that looks like a button (downloads, new pages) lines its text up like one. */
  a.btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    text-decoration: none;
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
  /* Rows of controls, banners and field errors: one look in every area. */
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  .spacer {
    flex: 1;
  }
  .banner {
    border-radius: 8px;
    padding: 12px 16px;
    margin: 0 0 12px;
    overflow-wrap: anywhere;
  }
  .error-banner {
    background: #fdecea;
    border: 1px solid #f3b8b2;
    color: var(--sc-danger);
  }
  .ok-banner {
    background: #e7f6ec;
    border: 1px solid #a8dcb8;
    color: var(--sc-ok);
  }
  .warn-banner {
    background: #fff4e5;
    border: 1px solid #f5c98b;
    color: var(--sc-warn);
  }
  .banner .detail {
    font-size: 13px;
    margin-top: 4px;
    color: var(--sc-muted);
    word-break: break-word;
  }
  .field-error {
    color: var(--sc-danger);
    font-size: 14px;
    margin-top: 4px;
    overflow-wrap: anywhere;
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'] {
    border-color: var(--sc-danger);
    box-shadow: 0 0 0 1px var(--sc-danger);
  }
`;
