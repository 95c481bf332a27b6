export function AmApp() { return <div>Alertmanager</div>; }
