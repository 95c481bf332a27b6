import { useEffect, useState } from "react";
import { Button } from "@mantine/core";
import { navigate, useRoute } from "../../lib/router";
import { decodePanels, encodePanels, newPanel, type PanelState } from "../../lib/urlState";
import { Panel } from "./Panel";

/** Several panels whose state lives in the URL (so reload and links restore them). */
export function QueryPage() {
  const { search } = useRoute();
  const [panels, setPanels] = useState<PanelState[]>(() => {
    const p = decodePanels(search);
    return p.length ? p : [newPanel()];
  });
  const [ids, setIds] = useState(() => panels.map((_, i) => i));
  useEffect(() => {
    const s = encodePanels(panels);
    if (s !== new URLSearchParams(window.location.search).toString()) navigate("/query", s, true);
  }, [panels]);

  const update = (i: number, p: PanelState) => setPanels((ps) => ps.map((x, j) => (j === i ? p : x)));
  const nextId = () => Math.max(-1, ...ids) + 1;
  return (
    <div>
      {panels.map((p, i) => (
        <Panel key={ids[i]} state={p} onChange={(s) => update(i, s)}
          onRemove={() => { setPanels(panels.filter((_, j) => j !== i)); setIds(ids.filter((_, j) => j !== i)); }}
          onDuplicate={() => { setPanels([...panels.slice(0, i + 1), { ...p }, ...panels.slice(i + 1)]);
            setIds([...ids.slice(0, i + 1), nextId(), ...ids.slice(i + 1)]); }} />
      ))}
      <Button variant="light" onClick={() => { setPanels([...panels, newPanel()]); setIds([...ids, nextId()]); }}>Add panel</Button>
    </div>
  );
}
