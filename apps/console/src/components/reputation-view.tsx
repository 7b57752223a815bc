import type { components } from '@postline/client';
import { Badge, percent, when } from './widgets';

type Reputation = components['schemas']['ReputationViewDoc'];

/** State, rates against thresholds, counts and the history of changes (who and why). */
export function ReputationView({ reputation: r }: { reputation: Reputation }) {
  return (
    <>
      <p>
        State: <Badge value={r.state} /> {r.reason && <span>— {r.reason}</span>}
        {r.blockedAt && <span className="muted"> (blocked {when(r.blockedAt)})</span>}
      </p>
      <table>
        <caption>
          Last {r.window.hours} h ({when(r.window.from)} to {when(r.window.to)})
          {r.evaluated ? '' : `: fewer than ${r.minimumVolume} emails sent, rates not evaluated yet`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Rate</th>
            <th scope="col">Now</th>
            <th scope="col">Warning at</th>
            <th scope="col">Block at</th>
            <th scope="col">Count</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Bounce</th>
            <td>{percent(r.rates.bounce)}</td>
            <td>{percent(r.thresholds.bounce.warning)}</td>
            <td>{percent(r.thresholds.bounce.block)}</td>
            <td>
              {r.counts.hardBounces.toLocaleString()} of {r.counts.sent.toLocaleString()} sent
            </td>
          </tr>
          <tr>
            <th scope="row">Complaint</th>
            <td>{percent(r.rates.complaint, 3)}</td>
            <td>{percent(r.thresholds.complaint.warning, 3)}</td>
            <td>{percent(r.thresholds.complaint.block, 3)}</td>
            <td>
              {r.counts.complaints.toLocaleString()} of {r.counts.sent.toLocaleString()} sent
            </td>
          </tr>
        </tbody>
      </table>
      <h2>History</h2>
      {r.history.length === 0 ? (
        <p>No change of state yet.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Changes of state, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Change</th>
              <th scope="col">Who</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {r.history.map((h) => (
              <tr key={h.id}>
                <td>{when(h.createdAt)}</td>
                <td>
                  {h.fromState} → <Badge value={h.toState} />
                </td>
                <td>{h.actor}</td>
                <td>{h.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
