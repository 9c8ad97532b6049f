interface Gate {
  name: string;
  passed: boolean;
  actual?: string | null;
}

export function GateList({ gates }: { gates: Gate[] }) {
  if (gates.length === 0) return <p className="muted small">No gates apply.</p>;
  return (
    <ul className="gates">
      {gates.map((gate) => (
        <li key={gate.name} className={gate.passed ? 'gate-passed' : 'gate-failed'}>
          <span aria-hidden="true">{gate.passed ? '✓' : '✗'}</span>
          <span className="visually-hidden">{gate.passed ? 'Passed:' : 'Not met:'}</span> {gate.name}
          {gate.actual ? <span className="muted"> ({gate.actual})</span> : null}
        </li>
      ))}
    </ul>
  );
}
