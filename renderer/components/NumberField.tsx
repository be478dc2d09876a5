// A whole-number field that commits when the user is done (Enter or leaving the field), not on
// every keystroke: typing "12" must not first save "1" and start a queue of one.
import { useEffect, useState } from 'react';

export function NumberField(props: { id: string; value: number; min: number; max: number; onCommit(value: number): void }) {
  const { value, min, max, onCommit } = props;
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft(String(value)), [value]);

  function commit() {
    const n = Number(draft);
    if (Number.isInteger(n) && n >= min && n <= max) {
      if (n !== value) onCommit(n);
    } else {
      setDraft(String(value));
    }
  }

  return (
    <input
      id={props.id}
      type="number"
      min={min}
      max={max}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}
