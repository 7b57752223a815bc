import { escapeHtml, htmlToPlainText, isHtml } from './html';

describe(isHtml.name, () => {
  it.each([
    '<!DOCTYPE html><html><body>Hi</body></html>',
    '<html><body>x</body></html>',
    '<p>Hello <b>you</b></p>',
    'Line one<br>Line two',
    'Line one<br/>Line two',
    '<div class="x">offer</div>',
    '<a href="https://example.com">click</a>',
    '<table><tr><td>1</td></tr></table>',
  ])('reads %p as HTML', (text) => expect(isHtml(text)).toBe(true));

  it.each([
    'we have a new offer this week',
    'if a <b and c> d, then e',
    'math: 1 < 2 and 3 > 2',
    'email me at <someone@example.com>',
    'tags like <p> mentioned in prose',
  ])('reads %p as plain text', (text) => expect(isHtml(text)).toBe(false));
});

describe(htmlToPlainText.name, () => {
  it('turns paragraphs, links and entities into readable text', () => {
    const text = htmlToPlainText(
      '<h1>Offer</h1><p>Save&nbsp;20% <a href="https://x.test/o">today</a></p><img src="a.png">',
    );
    expect(text).toContain('OFFER');
    expect(text).toContain('Save\u00a020% today [https://x.test/o]');
    expect(text).not.toContain('<');
    expect(text).not.toContain('a.png');
  });

  it('gives the same text for the same body again (campaigns repeat one body)', () => {
    const html = '<p>Same <b>body</b></p>';
    expect(htmlToPlainText(html)).toBe('Same body');
    expect(htmlToPlainText(html)).toBe('Same body');
  });
});

describe(escapeHtml.name, () => {
  it('escapes markup characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});
