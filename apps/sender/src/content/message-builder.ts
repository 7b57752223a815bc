import type { SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { signUnsubscribeToken, unsubscribeUrl } from '@postline/contracts';
import { escapeHtml, htmlToPlainText, isHtml } from './html';
import { formatMailbox, headerSafe } from './mailbox';
import {
  customHeaders,
  customTags,
  fromAddress,
  type OutgoingOptions,
  sesAttachments,
  tracks,
  withoutClickTracking,
} from './message-options';

/** The fields of an email that make its message. */
export interface OutgoingEmail {
  id: string;
  accountId: string;
  to: string;
  from: string;
  alias: string | null;
  subject: string;
  text: string;
  /** An HTML body; `text` is then its plain-text part (generated from it when empty). */
  html?: string | null;
  unsubscribeMsg: string;
  /** fromName, cc, bcc, replyTo, headers, tags, tracking, attachments; absent when the email has none. */
  options?: OutgoingOptions;
  /** Attachments the email has in EmailAttachment, read into `options.attachments` just before sending. */
  attachmentCount?: number;
}

export interface MessageSettings {
  publicBaseUrl: string;
  unsubscribeSecret: string;
  configurationSet?: string;
  /**
   * The configuration set of messages that turn open tracking off: SES inserts its open pixel for every
   * message of a set whose event destination takes OPEN events, so such a message needs a set without it.
   */
  untrackedConfigurationSet?: string;
  /** Local SES: it drops EmailTags, so the email id also travels in a header (the dev event tool reads it). */
  localMode: boolean;
}

/** Header carrying the email id in local mode. */
export const EMAIL_ID_HEADER = 'X-Postline-Email-Id';
/** SES message tags every SES event of the email carries back. */
export const EMAIL_ID_TAG = 'email_id';
export const ACCOUNT_ID_TAG = 'account_id';

const DEFAULT_UNSUBSCRIBE_MSG = 'Unsubscribe';

function withHtmlFooter(html: string, url: string, anchor: string): string {
  const footer = `<p style="margin-top:24px;font-size:12px;color:#666666"><a href="${escapeHtml(url)}">${escapeHtml(anchor)}</a></p>`;
  const end = html.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i);
  return end === -1 ? `${html}\n${footer}` : `${html.slice(0, end)}${footer}\n${html.slice(end)}`;
}

function withTextFooter(text: string, url: string, anchor: string): string {
  return `${text.replace(/\s+$/, '')}\n\n${anchor}: ${url}\n`;
}

/**
 * The SES v2 SendEmail request of an email: HTML (with a generated plain-text alternative) or plain text,
 * each with a visible unsubscribe link; RFC 8058 one-click headers; tags tracing every SES event back.
 */
export function buildSendEmailInput(email: OutgoingEmail, settings: MessageSettings): SendEmailCommandInput {
  const url = unsubscribeUrl(
    settings.publicBaseUrl,
    signUnsubscribeToken({ emailId: email.id, accountId: email.accountId }, settings.unsubscribeSecret),
  );
  const anchor = headerSafe(email.unsubscribeMsg).trim() || DEFAULT_UNSUBSCRIBE_MSG;
  let body: { Html?: { Data: string; Charset: string }; Text: { Data: string; Charset: string } };
  // Click tracking off: every link carries SES's ses:no-track attribute.
  const trackable = (html: string) => (tracks(email.options, 'clicks') ? html : withoutClickTracking(html));
  if (email.html) {
    const text = email.text.trim() === '' ? htmlToPlainText(email.html) : email.text;
    body = {
      Html: { Data: withHtmlFooter(trackable(email.html), url, anchor), Charset: 'UTF-8' },
      Text: { Data: withTextFooter(text, url, anchor), Charset: 'UTF-8' },
    };
  } else if (isHtml(email.text)) {
    body = {
      Html: { Data: withHtmlFooter(trackable(email.text), url, anchor), Charset: 'UTF-8' },
      Text: { Data: withTextFooter(htmlToPlainText(email.text), url, anchor), Charset: 'UTF-8' },
    };
  } else {
    body = { Text: { Data: withTextFooter(email.text, url, anchor), Charset: 'UTF-8' } };
  }
  const headers = [
    { Name: 'List-Unsubscribe', Value: `<${url}>` },
    { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
  ];
  if (settings.localMode) headers.push({ Name: EMAIL_ID_HEADER, Value: email.id });
  const options = email.options;
  const attachments = sesAttachments(options);
  const configurationSet =
    !tracks(options, 'opens') && settings.untrackedConfigurationSet
      ? settings.untrackedConfigurationSet
      : settings.configurationSet;
  return {
    FromEmailAddress: fromAddress(email.from, options),
    Destination: {
      ToAddresses: [formatMailbox(email.to, email.alias)],
      ...(options?.cc.length ? { CcAddresses: options.cc } : {}),
      ...(options?.bcc.length ? { BccAddresses: options.bcc } : {}),
    },
    ...(options?.replyTo.length ? { ReplyToAddresses: options.replyTo } : {}),
    Content: {
      Simple: {
        Subject: { Data: headerSafe(email.subject), Charset: 'UTF-8' },
        Body: body,
        // The gateway allows no header Postline sets (customHeaders come from its allow-list).
        Headers: [...customHeaders(options), ...headers],
        ...(attachments ? { Attachments: attachments } : {}),
      },
    },
    EmailTags: [
      ...customTags(options),
      { Name: EMAIL_ID_TAG, Value: email.id },
      { Name: ACCOUNT_ID_TAG, Value: email.accountId },
    ],
    ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
  };
}
