import { useQuery } from '@tanstack/react-query';
import { useApi } from '../auth';
import { QueryState } from '../components/query-state';
import { ReputationView } from '../components/reputation-view';
import { unwrap } from '../session';

export function ReputationPage() {
  const api = useApi();
  const reputation = useQuery({ queryKey: ['reputation'], queryFn: () => unwrap(api.GET('/reputation')) });
  return (
    <section>
      <h1>Reputation</h1>
      <QueryState query={reputation} label="the reputation">
        {(r) => <ReputationView reputation={r} />}
      </QueryState>
    </section>
  );
}
