import { ProjectRole } from '@pedigree/shared';
import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Context, signedIn } from '../../context';
import { RegisteredModel } from '../model/model.entity';
import { User } from '../user/user.entity';
import { ProjectGroupRole } from './project-group-role.entity';
import { ProjectMember } from './project-member.entity';
import { AddProjectMemberInput, CreateProjectInput, SetProjectGroupRoleInput } from './project.inputs';
import { Project } from './project.entity';
import type { ProjectService } from './project.service';

@Resolver(() => Project)
export class ProjectResolver {
  constructor(private readonly projectService: ProjectService) {}

  @Authorized('VIEWER')
  @Query(() => [Project], { description: 'The projects the viewer is a member of. Needs VIEWER in each.' })
  projects(@Ctx() ctx: Context): Promise<Project[]> {
    return this.projectService.listForViewer(signedIn(ctx));
  }

  @Authorized('VIEWER')
  @Query(() => Project, { nullable: true, description: 'A project by key; null when it does not exist or the viewer is not a member. Needs VIEWER.' })
  project(@Arg('key') key: string, @Ctx() ctx: Context): Promise<Project | null> {
    return this.projectService.byKey(signedIn(ctx), key);
  }

  @Authorized('ADMIN')
  @Mutation(() => Project, { description: 'Creates a project; the creator becomes its OWNER. Needs an instance admin.' })
  createProject(@Arg('input') input: CreateProjectInput, @Ctx() ctx: Context): Promise<Project> {
    return this.projectService.create(signedIn(ctx), input);
  }

  @Authorized('OWNER')
  @Mutation(() => ProjectMember, { description: "Grants a user a role in a project, or changes it. Needs OWNER." })
  addProjectMember(@Arg('input') input: AddProjectMemberInput, @Ctx() ctx: Context): Promise<ProjectMember> {
    return this.projectService.addMember(signedIn(ctx), input);
  }

  @Authorized('OWNER')
  @Mutation(() => ProjectGroupRole, {
    description: 'Maps an identity provider group to a role in a project: members of the group get it when they sign in with single sign-on, and those who signed in before get it at once. Needs OWNER.',
  })
  setProjectGroupRole(@Arg('input') input: SetProjectGroupRoleInput, @Ctx() ctx: Context): Promise<ProjectGroupRole> {
    return this.projectService.setGroupRole(signedIn(ctx), input);
  }

  @Authorized('OWNER')
  @Mutation(() => Boolean, { description: "Removes a group's role mapping; memberships that came only from it end at once. Needs OWNER." })
  removeProjectGroupRole(@Arg('project') project: string, @Arg('group') group: string, @Ctx() ctx: Context): Promise<boolean> {
    return this.projectService.removeGroupRole(signedIn(ctx), project, group);
  }

  @Authorized('VIEWER')
  @Query(() => [ProjectGroupRole], { description: 'Identity provider groups whose members get a role in the project, by group. Needs VIEWER.' })
  projectGroupRoles(@Arg('project') project: string, @Ctx() ctx: Context): Promise<ProjectGroupRole[]> {
    return this.projectService.listGroupRoles(signedIn(ctx), project);
  }

  @FieldResolver(() => ProjectRole, { nullable: true, description: "The viewer's role in the project, after any API token cap." })
  viewerRole(@Root() project: Project, @Ctx() ctx: Context): ProjectRole | null {
    return ctx.viewer?.roleIn(project.id) ?? null;
  }

  @FieldResolver(() => [RegisteredModel], { description: 'The registered models of the project, by name.' })
  registeredModels(@Root() project: Project, @Ctx() ctx: Context): Promise<RegisteredModel[]> {
    return ctx.loaders.modelsByProjectId.load(project.id);
  }

  @FieldResolver(() => [ProjectMember], { description: 'Who has which role in the project.' })
  members(@Root() project: Project, @Ctx() ctx: Context): Promise<ProjectMember[]> {
    return ctx.loaders.membersByProjectId.load(project.id);
  }
}

@Resolver(() => ProjectMember)
export class ProjectMemberResolver {
  @FieldResolver(() => User, { description: 'The member.' })
  async user(@Root() member: ProjectMember, @Ctx() ctx: Context): Promise<User> {
    return (await ctx.loaders.userById.load(member.userId)) as User;
  }

  @FieldResolver(() => Project, { description: 'The project.' })
  async project(@Root() member: ProjectMember, @Ctx() ctx: Context): Promise<Project> {
    return (await ctx.loaders.projectById.load(member.projectId)) as Project;
  }
}
