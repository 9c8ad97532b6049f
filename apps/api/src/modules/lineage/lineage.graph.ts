import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { JSONScalar } from '../../common/scalars';
import { PageInfo } from '../../common/pagination/connection';
import { CodeCommit } from '../commit/code-commit.entity';
import { DataVersion } from '../data-version/data-version.entity';
import { ModelVersion, Stage } from '../model/model.entity';
import { Run } from '../run/run.entity';
import { DataRole, LineageRelation, NodeKind } from './lineage.types';

export enum LineageDirection {
  UPSTREAM = 'UPSTREAM',
  DOWNSTREAM = 'DOWNSTREAM',
  BOTH = 'BOTH',
}

registerEnumType(LineageDirection, {
  name: 'LineageDirection',
  description: 'Which way to walk: UPSTREAM towards inputs (where it came from), DOWNSTREAM towards outputs (what it reached), or BOTH.',
});

// simpleResolvers: plain property reads without middleware, as answers run to thousands of nodes.
@ObjectType('LineageNode', { simpleResolvers: true, description: 'A node of a lineage answer; redacted when it lives in a project the viewer cannot read.' })
export class LineageGraphNode {
  @Field(() => ID, { description: 'The node id.' })
  id!: string;

  @Field(() => NodeKind, { description: 'What the node is.' })
  kind!: NodeKind;

  @Field({ description: 'A short display label, e.g. "fraud v3" or "data/prepared@153aad06"; "hidden" when redacted.' })
  label!: string;

  @Field({ description: 'True when the node is in a project the viewer cannot read: only kind and id are shown.' })
  redacted!: boolean;

  @Field(() => Int, { description: 'Hops from the node the walk started at.' })
  depth!: number;

  projectId!: string;
}

@ObjectType('LineageEdge', { simpleResolvers: true, description: 'A link between two nodes, pointing the way data flows (input to output).' })
export class LineageGraphEdge {
  @Field(() => ID, { description: 'The input end.' })
  from!: string;

  @Field(() => ID, { description: 'The output end.' })
  to!: string;

  @Field(() => LineageRelation, { description: 'How the two are linked.' })
  relation!: LineageRelation;

  @Field(() => DataRole, { nullable: true, description: 'For a data version a run CONSUMED: how the run used it.' })
  role!: DataRole | null;
}

@ObjectType('LineageGraph', { description: 'A part of the lineage graph.' })
export class LineageGraph {
  @Field(() => [LineageGraphNode], { description: 'The nodes, nearest first.' })
  nodes!: LineageGraphNode[];

  @Field(() => [LineageGraphEdge], { description: 'The edges among the nodes.' })
  edges!: LineageGraphEdge[];

  @Field({ description: 'True when a node limit or the walk bound cut the answer: there is more beyond it.' })
  truncated!: boolean;
}

@ObjectType('StageCount', { description: 'How many model versions are in a stage.' })
export class StageCount {
  @Field(() => Stage, { description: 'The stage.' })
  stage!: Stage;

  @Field(() => Int, { description: 'How many versions.' })
  count!: number;
}

@ObjectType('ImpactReport', { description: 'Every registered model version downstream of a node: what a bad commit, data version or run has reached.' })
export class ImpactReport {
  @Field(() => [ModelVersion], { description: 'One page of the affected versions the viewer may read: PRODUCTION first, then STAGING, NONE, ARCHIVED.' })
  modelVersions!: ModelVersion[];

  @Field(() => Int, { description: 'Affected versions the viewer may read, across all pages.' })
  totalCount!: number;

  @Field(() => [StageCount], { description: 'Affected versions the viewer may read, by stage.' })
  countsByStage!: StageCount[];

  @Field(() => Int, { description: 'Affected versions in projects the viewer cannot read: counted, not shown.' })
  hiddenCount!: number;

  @Field(() => Int, { description: 'Lineage nodes the walk reached.' })
  reachedNodes!: number;

  @Field({ description: 'False when the walk was cut before it reached everything downstream; then the lists may miss versions.' })
  complete!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the answer is incomplete, when it is.' })
  incompleteReason!: string | null;

  @Field(() => PageInfo, { description: 'Paging state of modelVersions.' })
  pageInfo!: PageInfo;
}

@ObjectType('ProvenanceInput', { description: 'A data version one run of the provenance read, and how.' })
export class ProvenanceInput {
  @Field(() => Run, { description: 'The run that read the data.' })
  run!: Run;

  @Field(() => DataVersion, { description: 'The data version read.' })
  dataVersion!: DataVersion;

  @Field(() => DataRole, { description: 'How the run used it.' })
  role!: DataRole;
}

@ObjectType('Provenance', { description: 'Everything a model version was made from, all the way up, and what is missing from the record.' })
export class Provenance {
  @Field(() => ModelVersion, { description: 'The model version traced.' })
  modelVersion!: ModelVersion;

  @Field(() => Run, { description: 'The run that trained it.' })
  sourceRun!: Run;

  @Field(() => [CodeCommit], { description: 'Every commit upstream: of the source run, of runs that made its data, of base models.' })
  commits!: CodeCommit[];

  @Field(() => [DataVersion], { description: 'Every data version upstream, by content hash.' })
  dataVersions!: DataVersion[];

  @Field(() => [ProvenanceInput], { description: 'Which run read which data version, and in which role.' })
  inputs!: ProvenanceInput[];

  @Field(() => [Run], { description: 'Every run upstream, the source run first.' })
  runs!: Run[];

  @Field(() => [ModelVersion], { description: 'Base model versions upstream (fine-tuning, distillation).' })
  baseModelVersions!: ModelVersion[];

  @Field(() => String, { nullable: true, description: "The source run's entrypoint." })
  entrypoint!: string | null;

  @Field(() => JSONScalar, { nullable: true, description: "The source run's environment." })
  environment!: unknown;

  @Field({ description: 'True when nothing is missing: every run has a clean commit and the data is recorded to its source.' })
  complete!: boolean;

  @Field(() => [String], { description: 'What the record lacks, in plain words.' })
  missing!: string[];
}

@ObjectType('NodeMatch', { description: 'A lineage node found by its sha, hash, name or id.' })
export class NodeMatch {
  @Field(() => ID, { description: 'The node id.' })
  id!: string;

  @Field(() => NodeKind, { description: 'What the node is.' })
  kind!: NodeKind;

  @Field({ description: 'A display label, as in lineage answers.' })
  label!: string;
}
