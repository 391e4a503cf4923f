package dev.sequencer.api.auth;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccessProperties.class)
class AccessConfiguration implements WebMvcConfigurer {

  private final PermissionInterceptor permissions;

  AccessConfiguration(PermissionInterceptor permissions) {
    this.permissions = permissions;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(permissions).addPathPatterns("/api/**");
  }
}
