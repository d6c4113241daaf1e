package io.siyu.wecom.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@code siyu.wecom.*}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({WeComProperties.class, io.siyu.wecom.work.WorkProperties.class,
        io.siyu.wecom.reconcile.ReconciliationProperties.class, io.siyu.wecom.outbox.NonMemberWelcome.class,
        io.siyu.wecom.callback.CallbackRetention.Settings.class, io.siyu.wecom.campaign.CampaignProperties.class})
class WeComConfiguration {
}
