/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n        name\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query Home {\n    me {\n      id\n      email\n      name\n      isAdmin\n    }\n    projects {\n      id\n      key\n      name\n      viewerRole\n      registeredModels {\n        id\n        name\n        productionVersion {\n          id\n          version\n        }\n        versions {\n          id\n          version\n          stage\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.HomeDocument,
};
const documents: Documents = {
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n        name\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  query Home {\n    me {\n      id\n      email\n      name\n      isAdmin\n    }\n    projects {\n      id\n      key\n      name\n      viewerRole\n      registeredModels {\n        id\n        name\n        productionVersion {\n          id\n          version\n        }\n        versions {\n          id\n          version\n          stage\n          createdAt\n        }\n      }\n    }\n  }\n": types.HomeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Home {\n    me {\n      id\n      email\n      name\n      isAdmin\n    }\n    projects {\n      id\n      key\n      name\n      viewerRole\n      registeredModels {\n        id\n        name\n        productionVersion {\n          id\n          version\n        }\n        versions {\n          id\n          version\n          stage\n          createdAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Home {\n    me {\n      id\n      email\n      name\n      isAdmin\n    }\n    projects {\n      id\n      key\n      name\n      viewerRole\n      registeredModels {\n        id\n        name\n        productionVersion {\n          id\n          version\n        }\n        versions {\n          id\n          version\n          stage\n          createdAt\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;