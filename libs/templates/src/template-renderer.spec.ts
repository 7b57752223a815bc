import { checkTemplateSyntax, CompiledTemplate, TemplateCache, TemplateRenderError } from './template-renderer';

describe(CompiledTemplate.name, () => {
  const parts = {
    subject: 'Hello {{name}} & co',
    html: '<p>Hi {{name}}, {{{signature}}}</p>',
    text: 'Hi {{name}} <3',
  };

  it('escapes HTML in the html part only, and {{{raw}}} opts out', () => {
    const sut = new CompiledTemplate(parts);
    expect(sut.render({ name: '<Zoë & "Al">', signature: '<b>Team</b>' })).toEqual({
      subject: 'Hello <Zoë & "Al"> & co',
      html: '<p>Hi &lt;Zoë &amp; &quot;Al&quot;&gt;, <b>Team</b></p>',
      text: 'Hi <Zoë & "Al"> <3',
    });
  });

  it('escapes inline text that is HTML', () => {
    const sut = new CompiledTemplate({ subject: 's', html: null, text: '<p>{{x}}</p>' }, { textIsHtml: true });
    expect(sut.render({ x: '<script>' }).text).toBe('<p>&lt;script&gt;</p>');
  });

  it('names the missing variable with its full path, part and position', () => {
    const sut = new CompiledTemplate({ subject: 'Hi', html: null, text: 'Dear\n  {{user.firstName}}' });
    let error: unknown;
    try {
      sut.render({ user: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect(error).toMatchObject({
      variable: 'user.firstName',
      part: 'text',
      message: 'missing variable "user.firstName" (text, line 2, column 5)',
    });
  });

  it('treats a missing variable in an #if as false, and fills #each blocks', () => {
    const sut = new CompiledTemplate({
      subject: '{{#if vip}}VIP {{/if}}offer',
      html: null,
      text: '{{#each items}}- {{title}}\n{{/each}}',
    });
    expect(sut.render({ items: [{ title: 'a' }, { title: 'b' }] })).toEqual({
      subject: 'offer',
      html: null,
      text: '- a\n- b\n',
    });
  });

  it('gives no access to prototypes and has no log helper', () => {
    const sut = new CompiledTemplate({ subject: '{{constructor}}', html: null, text: null });
    expect(sut.render({}).subject).toBe('');
    expect(() => new CompiledTemplate({ subject: '{{log "x"}}', html: null, text: null }).render({})).toThrow(
      TemplateRenderError,
    );
  });

  it('refuses a syntax error, naming the part', () => {
    expect(() => checkTemplateSyntax({ subject: 'ok', html: '<p>{{name</p>', text: null })).toThrow(
      /^template error in html: Parse error on line 1/,
    );
  });
});

describe(TemplateCache.name, () => {
  it('compiles a key once and evicts the least recently used', () => {
    const sut = new TemplateCache(2);
    const parts = jest.fn(() => ({ subject: '{{a}}', html: null, text: null }));
    const first = sut.get('t1:1', parts);
    expect(sut.get('t1:1', parts)).toBe(first);
    sut.get('t2:1', parts);
    sut.get('t3:1', parts);
    expect(sut.size).toBe(2);
    expect(parts).toHaveBeenCalledTimes(3);
    expect(sut.get('t1:1', parts)).not.toBe(first);
  });
});

describe('TemplateCache bounds', () => {
  it('evicts by characters held, and does not keep a template larger than the whole cache', () => {
    const sut = new TemplateCache(100, 1_000);
    const parts = (n: number) => () => ({ subject: 'x'.repeat(n), html: null, text: null });
    sut.get('a', parts(400));
    sut.get('b', parts(400));
    sut.get('c', parts(400));
    expect(sut.size).toBe(2);
    const huge = sut.get('huge', parts(5_000));
    expect(huge.render({}).subject).toHaveLength(5_000);
    expect(sut.peek('huge')).toBeUndefined();
  });
});
