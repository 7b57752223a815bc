import { multipartFields } from './multipart-form';

describe(multipartFields.name, () => {
  it('reads the one-click field of a multipart body', () => {
    const body = [
      '--XyZ',
      'Content-Disposition: form-data; name="List-Unsubscribe"',
      '',
      'One-Click',
      '--XyZ--',
      '',
    ].join('\r\n');
    expect(multipartFields(body, 'multipart/form-data; boundary=XyZ')).toEqual({ 'List-Unsubscribe': 'One-Click' });
  });

  it('handles quoted boundaries and several fields, skipping files', () => {
    const body = [
      '--a b',
      'Content-Disposition: form-data; name="x"',
      '',
      '1',
      '--a b',
      'Content-Disposition: form-data; name="f"; filename="f.txt"',
      '',
      'file',
      '--a b',
      'Content-Disposition: form-data; name="y"',
      '',
      'two\r\nlines',
      '--a b--',
    ].join('\r\n');
    expect(multipartFields(body, 'multipart/form-data; boundary="a b"')).toEqual({ x: '1', y: 'two\r\nlines' });
  });

  it('gives nothing without a boundary', () => {
    expect(multipartFields('x', 'multipart/form-data')).toEqual({});
  });
});
