package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.model.ExpectedVersion;
import dev.mqttsuite.auth.model.GroupEntity;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Groups (local, or named like a token group claim) and the roles their members get. */
@Path("/api/v1/groups")
@Produces(MediaType.APPLICATION_JSON)
public class GroupsResource extends ModelResource<GroupEntity, Dtos.GroupDto> {

    @Override
    protected String kind() {
        return "group";
    }

    @Override
    protected List<GroupEntity> all() {
        return GroupEntity.listAll();
    }

    @Override
    protected GroupEntity find(String name) {
        return GroupEntity.findById(name);
    }

    @Override
    protected String nameOf(GroupEntity entity) {
        return entity.name;
    }

    @Override
    protected long versionOf(GroupEntity entity) {
        return entity.version;
    }

    @Override
    protected Dtos.GroupDto toDto(GroupEntity entity) {
        return Dtos.GroupDto.of(entity);
    }

    @Override
    protected GroupEntity create(String actor, Dtos.GroupDto dto) {
        return model.createGroup(actor, dto.draft());
    }

    @Override
    protected GroupEntity update(String actor, String name, ExpectedVersion expected, Dtos.GroupDto dto) {
        return model.updateGroup(actor, name, expected, dto.draft());
    }

    @Override
    protected void delete(String actor, String name, ExpectedVersion expected) {
        model.deleteGroup(actor, name, expected);
    }
}
