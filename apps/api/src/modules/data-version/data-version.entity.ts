import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { SafeInt, bigintAsNumber } from '../../common/scalars';
import { Node } from '../lineage/node.interface';

/** How a content hash was computed; the names are DVC's, so a dvc.lock `hash:` value fits as is. */
export const HASH_ALGORITHMS = ['md5', 'md5-dos2unix', 'sha256'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

@Entity({ name: 'dataset' })
@ObjectType('Dataset', { description: 'A named dataset whose content changes over versions.' })
export class Dataset {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Field({ description: 'Dataset name, unique in its project, e.g. "data/data.xml".' })
  @Column({ type: 'text' })
  name!: string;

  @Field({ description: 'When the dataset was first recorded.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'data_version' })
// simpleResolvers: fields are plain property reads (no @Authorized, no middleware), so they skip
// type-graphql's per-field wrapper; a model page answers hundreds of them.
@ObjectType('DataVersion', { simpleResolvers: true, implements: Node, description: 'One exact content of a dataset, identified by its content hash.' })
export class DataVersion extends Node {
  @Field(() => ID, { description: 'Unique id.' })
  @PrimaryColumn({ type: 'uuid' })
  declare id: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Column({ type: 'uuid' })
  datasetId!: string;

  @Field({ description: 'Lowercase hex digest of the content under hashAlgorithm; DVC directory hashes keep ".dir".' })
  @Column({ type: 'text' })
  contentHash!: string;

  @Field(() => String, { description: 'The algorithm of contentHash: "md5" (DVC 3.x), "md5-dos2unix" (DVC 2.x) or "sha256".' })
  @Column({ type: 'text' })
  hashAlgorithm!: HashAlgorithm;

  @Field(() => String, { nullable: true, description: 'Where the content is stored.' })
  @Column({ type: 'text', nullable: true })
  uri!: string | null;

  @Field(() => SafeInt, { nullable: true, description: 'Total size in bytes.' })
  @Column({ type: 'bigint', nullable: true, transformer: bigintAsNumber })
  sizeBytes!: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of files, for a directory.' })
  @Column({ type: 'integer', nullable: true })
  fileCount!: number | null;

  @Field(() => String, { nullable: true, description: 'Storage format, e.g. "parquet" or "csv".' })
  @Column({ type: 'text', nullable: true })
  format!: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Field({ description: 'When Pedigree recorded the version.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
