import { registerEnumType } from 'type-graphql';

export enum NodeKind {
  CodeCommit = 'CodeCommit',
  DataVersion = 'DataVersion',
  Run = 'Run',
  ModelVersion = 'ModelVersion',
}

/** Edges point the way data flows: from the input to what was made from it. */
export enum LineageRelation {
  BUILT_FROM = 'BUILT_FROM',
  CONSUMED = 'CONSUMED',
  PRODUCED = 'PRODUCED',
  DERIVED_FROM = 'DERIVED_FROM',
  TRAINED = 'TRAINED',
  PARENT_OF = 'PARENT_OF',
}

/** How a run used a data version it consumed. */
export enum DataRole {
  TRAIN = 'TRAIN',
  VALIDATION = 'VALIDATION',
  TEST = 'TEST',
  OTHER = 'OTHER',
}

registerEnumType(NodeKind, { name: 'NodeKind', description: 'The kinds of lineage node.' });
registerEnumType(LineageRelation, {
  name: 'LineageRelation',
  description: 'How two lineage nodes are linked; edges point from input to output.',
  valuesConfig: {
    BUILT_FROM: { description: 'CodeCommit -> Run: the code the run executed.' },
    CONSUMED: { description: 'DataVersion or base ModelVersion -> Run: an input of the run.' },
    PRODUCED: { description: 'Run -> DataVersion: an output of the run.' },
    DERIVED_FROM: { description: 'DataVersion -> DataVersion: the second was derived from the first.' },
    TRAINED: { description: 'Run -> ModelVersion: the run that trained the registered version.' },
    PARENT_OF: { description: 'Run -> Run: a nested run, as in a sweep.' },
  },
});
registerEnumType(DataRole, { name: 'DataRole', description: 'How a run used a data version.' });
