import { Field, ID, InterfaceType } from 'type-graphql';
import { Project } from '../project/project.entity';

@InterfaceType('Node', { description: 'A lineage entity: a code commit, data version, run or model version. Its id is unique across kinds.' })
export abstract class Node {
  @Field(() => ID, { description: 'Globally unique id.' })
  id!: string;

  @Field(() => Project, { description: 'The project the node belongs to.' })
  project?: Project;
}
