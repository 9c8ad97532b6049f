import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { NodeKind } from './lineage.types';

/** The one row every lineage entity has, so an id alone says what it is and where it lives. */
@Entity({ name: 'lineage_node' })
export class LineageNode {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  kind!: NodeKind;

  @Column({ type: 'uuid' })
  projectId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
