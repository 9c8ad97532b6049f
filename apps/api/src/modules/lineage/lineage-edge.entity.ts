import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { DataRole, LineageRelation } from './lineage.types';

@Entity({ name: 'lineage_edge' })
export class LineageEdge {
  @PrimaryColumn({ type: 'uuid' })
  srcId!: string;

  @PrimaryColumn({ type: 'uuid' })
  dstId!: string;

  @PrimaryColumn({ type: 'text' })
  relation!: LineageRelation;

  @Column({ type: 'text', nullable: true })
  role!: DataRole | null;

  @Column({ type: 'uuid' })
  projectId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
