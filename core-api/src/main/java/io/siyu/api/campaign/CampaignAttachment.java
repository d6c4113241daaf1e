package io.siyu.api.campaign;

/**
 * One attachment of a campaign message, of a kind WeCom's mass messaging allows ({@code type}): {@code image}
 * ({@code mediaId} or {@code picUrl}), {@code link} ({@code title}, {@code url}, optional {@code picUrl} and
 * {@code description}), {@code miniprogram} ({@code title}, {@code mediaId} of the cover, {@code appId},
 * {@code page}), or {@code join_way_qr}: the QR code of the group join way made for {@code joinWayState}, sent as an
 * image.
 */
public record CampaignAttachment(String type, String mediaId, String picUrl, String title, String description,
                                 String url, String appId, String page, String joinWayState) {
}
