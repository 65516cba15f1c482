package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.model.ExpectedVersion;
import dev.mqttsuite.auth.model.UserEntity;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Users: devices with credentials (stored only as a salted hash, never returned) and OIDC subjects with local groups and roles. Disabling or deleting a user disconnects its sessions. */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource extends ModelResource<UserEntity, Dtos.UserDto> {

    @Override
    protected String kind() {
        return "user";
    }

    @Override
    protected List<UserEntity> all() {
        return UserEntity.listAll();
    }

    @Override
    protected UserEntity find(String name) {
        return UserEntity.findById(name);
    }

    @Override
    protected String nameOf(UserEntity entity) {
        return entity.username;
    }

    @Override
    protected long versionOf(UserEntity entity) {
        return entity.version;
    }

    @Override
    protected Dtos.UserDto toDto(UserEntity entity) {
        return Dtos.UserDto.of(entity);
    }

    @Override
    protected UserEntity create(String actor, Dtos.UserDto dto) {
        return model.createUser(actor, dto.draft());
    }

    @Override
    protected UserEntity update(String actor, String name, ExpectedVersion expected, Dtos.UserDto dto) {
        return model.updateUser(actor, name, expected, dto.draft());
    }

    @Override
    protected void delete(String actor, String name, ExpectedVersion expected) {
        model.deleteUser(actor, name, expected);
    }
}
