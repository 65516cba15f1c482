package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.model.ExpectedVersion;
import dev.mqttsuite.auth.model.RoleEntity;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Roles and their prioritised rules. Changes reach connected sessions through the change stream. */
@Path("/api/v1/roles")
@Produces(MediaType.APPLICATION_JSON)
public class RolesResource extends ModelResource<RoleEntity, Dtos.RoleDto> {

    @Override
    protected String kind() {
        return "role";
    }

    @Override
    protected List<RoleEntity> all() {
        return RoleEntity.listAll();
    }

    @Override
    protected RoleEntity find(String name) {
        return RoleEntity.findById(name);
    }

    @Override
    protected String nameOf(RoleEntity entity) {
        return entity.name;
    }

    @Override
    protected long versionOf(RoleEntity entity) {
        return entity.version;
    }

    @Override
    protected Dtos.RoleDto toDto(RoleEntity entity) {
        return Dtos.RoleDto.of(entity);
    }

    @Override
    protected RoleEntity create(String actor, Dtos.RoleDto dto) {
        return model.createRole(actor, dto.draft());
    }

    @Override
    protected RoleEntity update(String actor, String name, ExpectedVersion expected, Dtos.RoleDto dto) {
        return model.updateRole(actor, name, expected, dto.draft());
    }

    @Override
    protected void delete(String actor, String name, ExpectedVersion expected) {
        model.deleteRole(actor, name, expected);
    }
}
