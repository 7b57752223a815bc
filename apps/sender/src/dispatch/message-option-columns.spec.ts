import { type MessageOptionColumns, outgoingOptionsOf } from './message-option-columns';

describe(outgoingOptionsOf.name, () => {
  const none: MessageOptionColumns = {
    fromName: null,
    cc: [],
    bcc: [],
    replyTo: [],
    headers: null,
    tracking: null,
    attachmentCount: 0,
    accountTrackOpens: null,
    accountTrackClicks: null,
    suppressedExtras: null,
  };

  it('gives no options to an email without any, tracked by default', () => {
    expect(outgoingOptionsOf(none)).toEqual({});
    expect(outgoingOptionsOf({ ...none, accountTrackOpens: true, tracking: { clicks: true } })).toEqual({});
  });

  it("applies the account's tracking default, and the email's choice over it", () => {
    expect(outgoingOptionsOf({ ...none, accountTrackClicks: false }).options?.tracking).toEqual({
      opens: true,
      clicks: false,
    });
    expect(
      outgoingOptionsOf({ ...none, accountTrackClicks: false, tracking: { clicks: true } }).options,
    ).toBeUndefined();
    expect(outgoingOptionsOf({ ...none, tracking: { opens: false } }).options?.tracking).toEqual({
      opens: false,
      clicks: true,
    });
  });

  it('leaves out cc and bcc suppressed since acceptance, and asks for the attachments', () => {
    const sut = outgoingOptionsOf({
      ...none,
      cc: ['a@example.com', 'B@example.com'],
      bcc: ['c@example.com'],
      attachmentCount: 2,
      suppressedExtras: ['b@example.com', 'c@example.com'],
    });
    expect(sut.options?.cc).toEqual(['a@example.com']);
    expect(sut.options?.bcc).toEqual([]);
    expect(sut.attachmentCount).toBe(2);
  });
});
