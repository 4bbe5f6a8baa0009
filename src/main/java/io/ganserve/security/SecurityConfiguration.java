package io.ganserve.security;

import java.security.SecureRandom;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * One filter chain for the whole service: API keys always, JWT bearer tokens when enabled, the
 * role each request needs from {@link AccessRules}, refusals from {@link AccessProblems}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    ApiKeyStore apiKeyStore(SecurityProperties properties) {
        return ConfiguredApiKeys.from(properties, new SecureRandom());
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, SecurityProperties properties, ApiKeyStore keys) {
        AccessRules rules = new AccessRules(properties.publicReads());
        AccessProblems problems = new AccessProblems(rules, properties.jwt());
        http
                // Credentials travel in headers a browser never adds by itself, and there are no
                // sessions or cookies: there is nothing for a cross-site request to ride on.
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, problems), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().access(new RoleAuthorization(rules)));
        if (properties.jwt().enabled()) {
            http.oauth2ResourceServer(o -> o
                    .jwt(j -> j.decoder(BearerTokens.decoder(properties.jwt()))
                            .jwtAuthenticationConverter(BearerTokens.authentication(properties.jwt())))
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems));
        }
        return http.build();
    }
}
