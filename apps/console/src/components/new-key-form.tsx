import { type FormEvent, useState } from 'react';
import { ErrorText } from './query-state';

/** Name and operator of a new API key; the caller creates it and shows the secret once. */
export function NewKeyForm({
  onCreate,
  pending,
  error,
}: {
  onCreate: (body: { name: string; operator: string }) => void;
  pending: boolean;
  error: unknown;
}) {
  const [name, setName] = useState('');
  const [operator, setOperator] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onCreate({ name: name.trim(), operator: operator.trim() });
  };
  return (
    <form className="inline" onSubmit={submit} aria-label="Create an API key">
      <label>
        Key name
        <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="production server" />
      </label>
      <label>
        Operator
        <input required value={operator} onChange={(e) => setOperator(e.target.value)} placeholder="bob" />
      </label>
      <button type="submit" disabled={pending}>
        Create key
      </button>
      <ErrorText error={error} />
    </form>
  );
}
