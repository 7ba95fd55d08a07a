import { buildSchema, type GraphQLSchema } from "graphql";
import { adminSdl } from "./sdl";

let schema: GraphQLSchema | undefined;

export function adminSchema(): GraphQLSchema {
  return (schema ??= buildSchema(adminSdl));
}
