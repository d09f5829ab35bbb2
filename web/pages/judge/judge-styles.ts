import { css } from 'lit';

/**
 * The document's `* { box-sizing: border-box }` (styles/base.css) does not reach into shadow
 * roots: the judge's components state it themselves, so paddings never widen a full-width box.
 */
export const borderBox = css`
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
`;
