import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  SortOrder,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  AnnotationQueryBuilder,
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  type Panel,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { DATASOURCE } from './provisioning.ts';

/** One PromQL query of a panel. */
export interface TargetSpec {
  expr: string;
  /** Grafana legend template, e.g. `{{topology}} {{cache}}`. */
  legend: string;
}

/** One panel: a time series (default) or a stat. */
export interface PanelSpec {
  title: string;
  description: string;
  /** Grafana unit id: s, reqps, percentunit, bytes, short, ops… */
  unit: string;
  targets: TargetSpec[];
  kind?: 'timeseries' | 'stat';
  /** Grid width out of 24; default 8 (time series) or 6 (stat). */
  width?: number;
}

/** A titled row of panels. */
export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

/** A Prometheus query variable. */
export interface VariableSpec {
  name: string;
  label: string;
  /** e.g. `label_values(metric{…}, label)`. */
  query: string;
  multi: boolean;
  /** Only values matching this regex are offered. */
  regex?: string;
}

/** A Prometheus annotation: each sample of `expr` marks an event on every time-series panel. */
export interface AnnotationSpec {
  name: string;
  expr: string;
  /** Grafana templates over the series' labels, e.g. `{{action}}`. */
  titleFormat: string;
  textFormat: string;
  /** Labels shown as tags, comma-separated. */
  tagKeys: string;
  iconColor: string;
}

/** A whole dashboard. */
export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: VariableSpec[];
  rows: RowSpec[];
  annotations?: AnnotationSpec[];
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function targets(specs: readonly TargetSpec[]): cog.Builder<cog.Dataquery>[] {
  return specs.map((t, i) =>
    new DataqueryBuilder()
      .expr(t.expr)
      .legendFormat(t.legend)
      .refId(REF_IDS[i] ?? `Q${i}`)
      .range()
      .datasource(DATASOURCE),
  );
}

function timeseries(spec: PanelSpec, id: number): cog.Builder<Panel> {
  return new TimeseriesPanelBuilder()
    .id(id)
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .span(spec.width ?? 8)
    .height(8)
    .lineWidth(1)
    .fillOpacity(10)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom),
    )
    .tooltip(
      new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending),
    )
    .targets(targets(spec.targets));
}

function stat(spec: PanelSpec, id: number): cog.Builder<Panel> {
  return new StatPanelBuilder()
    .id(id)
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .span(spec.width ?? 6)
    .height(4)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .targets(targets(spec.targets));
}

function variable(spec: VariableSpec): QueryVariableBuilder {
  const builder = new QueryVariableBuilder(spec.name)
    .label(spec.label)
    .query(spec.query)
    .definition(spec.query)
    .datasource(DATASOURCE)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(spec.multi)
    .includeAll(spec.multi);
  // Multi-value variables start on All: the comparison opens with every topology and run.
  if (spec.multi)
    builder.allValue('.*').current({ selected: true, text: ['All'], value: ['$__all'] });
  if (spec.regex) builder.regex(spec.regex);
  return builder;
}

function annotation(spec: AnnotationSpec): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name(spec.name)
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor(spec.iconColor)
    .expr(spec.expr)
    .step('1s')
    .titleFormat(spec.titleFormat)
    .textFormat(spec.textFormat)
    .tagKeys(spec.tagKeys)
    .useValueForTime(false);
}

/** Builds the dashboard JSON model; panel ids are assigned in order, so the output is deterministic. */
export function buildDashboard(spec: DashboardSpec): Dashboard {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(spec.tags)
    .timezone('browser')
    .time({ from: 'now-30m', to: 'now' })
    .refresh('5s')
    .tooltip(DashboardCursorSync.Crosshair)
    .variables(spec.variables.map(variable));
  for (const a of spec.annotations ?? []) builder.annotation(annotation(a));
  let id = 0;
  for (const row of spec.rows) {
    builder.withRow(new RowBuilder(row.title).id(++id));
    for (const panel of row.panels) {
      const next = ++id;
      builder.withPanel(panel.kind === 'stat' ? stat(panel, next) : timeseries(panel, next));
    }
  }
  return builder.build();
}
