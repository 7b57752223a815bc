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

const MEMO_SIZE = 64;
const memo = new Map<string, string>();

/**
 * The plain-text alternative of an HTML body. A campaign sends one body to many recipients, so recent
 * conversions are kept (the per-recipient unsubscribe footer is added outside).
 */
export function htmlToPlainText(html: string): string {
  let text = memo.get(html);
  if (text === undefined) {
    text = toText(html);
    if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
    memo.set(html, text);
  }
  return text;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
