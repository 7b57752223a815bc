import type { components } from '@postline/client';
import { Badge, CopyButton, when } from './widgets';

type Sender = components['schemas']['SenderViewDoc'];

/** A sender identity with the DNS records to publish, each value with a copy button. */
export function SenderCard({ sender, actions }: { sender: Sender; actions?: React.ReactNode }) {
  return (
    <article className="sender">
      <h2>
        {sender.identity} <Badge value={sender.status} />
      </h2>
      <p className="muted">
        {sender.kind === 'DOMAIN' ? 'Domain' : 'Address'}, added {when(sender.createdAt)}
        {sender.verifiedAt ? `, verified ${when(sender.verifiedAt)}` : ''}
        {sender.statusReason ? ` — ${sender.statusReason}` : ''}
      </p>
      {actions}
      {sender.dnsRecords.length > 0 && (
        <table>
          <caption>DNS records to publish for {sender.identity}</caption>
          <thead>
            <tr>
              <th scope="col">Purpose</th>
              <th scope="col">Type</th>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {sender.dnsRecords.map((r) => (
              <tr key={`${r.purpose}-${r.name}-${r.value}`}>
                <td>
                  {r.purpose}
                  {r.required ? '' : ' (optional)'}
                </td>
                <td>{r.type}</td>
                <td>
                  <code>{r.name}</code> <CopyButton text={r.name} label={`${r.purpose} record name`} />
                </td>
                <td>
                  <code>{r.priority !== null && r.priority !== undefined ? `${r.priority} ${r.value}` : r.value}</code>{' '}
                  <CopyButton text={r.value} label={`${r.purpose} record value`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
