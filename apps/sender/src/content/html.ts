import { compile } from 'html-to-text';

// A document marker, a void element, or the closing tag of a common element: plain text that merely
// mentions "<b" or "a < b > c" is not mistaken for HTML.
const DOCUMENT = /<!doctype\s+html|<html[\s>]/i;
const VOID_ELEMENT = /<(br|hr|img)(\s[^<>]*)?\/?>/i;
const CLOSING_TAG =
  /<\/(a|abbr|b|blockquote|body|center|code|div|em|font|h[1-6]|head|i|li|ol|p|pre|s|small|span|strong|style|sub|sup|table|tbody|td|tfoot|th|thead|title|tr|u|ul)\s*>/i;

/** True when the email's `text` is HTML rather than plain text. */
export function isHtml(text: string): boolean {
  return DOCUMENT.test(text) || VOID_ELEMENT.test(text) || CLOSING_TAG.test(text);
}

const toText = compile({
  wordwrap: 78,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'skip' },
  ],
});

/** The plain-text alternative of an HTML body. */
export function htmlToPlainText(html: string): string {
  return toText(html);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
