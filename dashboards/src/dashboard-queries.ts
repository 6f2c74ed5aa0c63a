// Reads generated dashboard JSON back: the PromQL of every panel, every datasource reference, the variables.

/** One PromQL target of a panel. */
export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
}

/** One query variable. */
export interface DashboardVariable {
  name: string;
  query: string;
  multi: boolean;
  regex: string;
}

interface JsonPanel {
  type?: string;
  title?: string;
  datasource?: { uid?: string };
  targets?: { refId?: string; expr?: string; datasource?: { uid?: string } }[];
  panels?: JsonPanel[];
}

interface JsonDashboard {
  title?: string;
  panels?: JsonPanel[];
  templating?: {
    list?: {
      name: string;
      query?: unknown;
      multi?: boolean;
      regex?: string;
      datasource?: { uid?: string };
    }[];
  };
}

/** Every panel, rows' collapsed children included, rows themselves excluded. */
function panelsOf(dashboard: JsonDashboard): JsonPanel[] {
  return (dashboard.panels ?? []).flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
}

/** Every PromQL target of every panel of `dashboard` (a parsed generated JSON). */
export function panelQueries(dashboard: unknown): PanelQuery[] {
  const d = dashboard as JsonDashboard;
  return panelsOf(d).flatMap((panel) =>
    (panel.targets ?? []).map((t) => ({
      dashboard: d.title ?? '',
      panel: panel.title ?? '',
      refId: t.refId ?? '',
      expr: t.expr ?? '',
    })),
  );
}

/** The datasource uid of every panel, target and variable, with where it was found. */
export function datasourceUids(dashboard: unknown): { where: string; uid: string | undefined }[] {
  const d = dashboard as JsonDashboard;
  const panels = panelsOf(d).flatMap((panel) => [
    { where: `panel ${panel.title}`, uid: panel.datasource?.uid },
    ...(panel.targets ?? []).map((t) => ({
      where: `panel ${panel.title} target ${t.refId}`,
      uid: t.datasource?.uid,
    })),
  ]);
  const variables = (d.templating?.list ?? []).map((v) => ({
    where: `variable ${v.name}`,
    uid: v.datasource?.uid,
  }));
  return [...panels, ...variables];
}

/** The query variables of `dashboard`, in order. */
export function dashboardVariables(dashboard: unknown): DashboardVariable[] {
  const list = (dashboard as JsonDashboard).templating?.list ?? [];
  return list.map((v) => ({
    name: v.name,
    query: typeof v.query === 'string' ? v.query : '',
    multi: v.multi ?? false,
    regex: v.regex ?? '',
  }));
}

/** Replaces `$name` and `${name}` with `values[name]`; an unknown variable is an error. */
export function substituteVariables(
  expr: string,
  values: Readonly<Record<string, string>>,
): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    const value = values[name];
    if (value === undefined) throw new Error(`no value for variable ${match} in ${expr}`);
    return value;
  });
}

/** The metric names an expression reads (identifiers followed by a selector or range). */
export function metricNames(expr: string): string[] {
  const names = expr.match(/\b[a-zA-Z_:][a-zA-Z0-9_:]*(?=\{)/g) ?? [];
  return [...new Set(names)];
}

/** True when every metric the expression reads comes from k6 remote write (k6_*), not from a scrape. */
export function isK6Only(expr: string): boolean {
  const names = metricNames(expr);
  return names.length > 0 && names.every((n) => n.startsWith('k6_'));
}
