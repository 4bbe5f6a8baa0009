package io.ganserve.security;

import java.util.Locale;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a credential may do. The roles are independent: WRITE does not imply READ, so a key that
 * both starts jobs and polls them under {@code public-reads: false} lists both.
 */
public enum Role {
    /** Every request other than GET and HEAD: POST /jobs, DELETE /jobs/{id}, evaluations, datasets. */
    WRITE,
    /** GETs of jobs, models, samples, interpolations and datasets, when reads are not public. */
    READ,
    /** Actuator endpoints other than health: info, prometheus. */
    METRICS;

    public GrantedAuthority authority() {
        return new SimpleGrantedAuthority("ROLE_" + name());
    }

    /** The role an authority stands for, or null for authorities of other kinds. */
    static Role of(GrantedAuthority authority) {
        String name = authority.getAuthority();
        if (name == null || !name.startsWith("ROLE_")) {
            return null;
        }
        for (Role role : values()) {
            if (name.equals("ROLE_" + role.name())) {
                return role;
            }
        }
        return null;
    }

    /** Its scope in a JWT: {@code ganserve.write} with the default prefix. */
    String scope(String prefix) {
        return prefix + name().toLowerCase(Locale.ROOT);
    }
}
