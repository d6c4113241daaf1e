package io.siyu.wecom.outbox;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The welcome for a new contact who is not (yet) a member — the usual acquisition case ({@code siyu.wecom.non-member.*}):
 * a text and a Mini Program card inviting them to register (WeCom's {@code miniprogram} attachment).
 *
 * @param text  the text; empty sends no welcome to non-members
 * @param appId the Mini Program's appid (linked to the corp); empty sends the text without a card
 * @param page  the page the card opens (where registration starts)
 * @param title the card's title (at most 64 bytes)
 * @param cover the card's cover image: a file path, or {@code classpath:…} (uploaded with {@code media/upload}; the
 *              media id is valid three days, so it is kept and renewed after {@link WelcomeCard#RENEW_AFTER})
 */
@ConfigurationProperties(prefix = "siyu.wecom.non-member")
public record NonMemberWelcome(@DefaultValue("您好！注册会员即可领取积分，享专属礼遇。") String text,
                               @DefaultValue("") String appId,
                               @DefaultValue("pages/index/index") String page,
                               @DefaultValue("注册会员 领积分") String title,
                               @DefaultValue("classpath:wecom/welcome-card.png") String cover) {

    /** @return whether a card goes with the text */
    public boolean hasCard() {
        return appId != null && !appId.isBlank();
    }
}
