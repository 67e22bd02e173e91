package dev.regcheck.catalog;

/** The procedure's steps (procedure.md), in their documented order. */
public enum Step {
  S01("切换Registry状态", "Switch the registry management state"),
  S02("创建nfs资源", "Create the NFS export"),
  S03("创建PV", "Create the PersistentVolume"),
  S04("创建PVC", "Create the PersistentVolumeClaim"),
  S05("配置Registry后端存储", "Configure the registry storage backend"),
  S06("验证Registry Pod状态", "Verify the registry pod"),
  S07("启用镜像的构建和推送", "Enable image build and push"),
  S08("访问Registry", "Access the registry through the service"),
  S09("删除仓库中的镜像", "Delete an image from the registry"),
  S10("默认路由", "Expose through the default route"),
  S11("自定义route路径", "Expose through a custom route"),
  S12("使用路由登录", "Log in through the route");

  private final String titleZh;
  private final String titleEn;

  Step(String titleZh, String titleEn) {
    this.titleZh = titleZh;
    this.titleEn = titleEn;
  }

  public String titleZh() {
    return titleZh;
  }

  public String titleEn() {
    return titleEn;
  }

  public String title(Lang lang) {
    return lang == Lang.ZH ? titleZh : titleEn;
  }

  /** The part of the procedure the step belongs to (the Allure epic). */
  public Section section() {
    return switch (this) {
      case S01, S02, S03, S04, S05, S06, S07 -> Section.SETUP;
      case S08, S09 -> Section.ACCESS;
      case S10, S11, S12 -> Section.EXPOSURE;
    };
  }

  /** Procedure sections: install and store, use through the service, expose outside the cluster. */
  public enum Section {
    SETUP("启用内部镜像仓库与存储", "Enable the registry and its storage"),
    ACCESS("通过服务访问与删除镜像", "Use the registry through the service"),
    EXPOSURE("通过路由对外暴露", "Expose the registry through routes");

    private final String titleZh;
    private final String titleEn;

    Section(String titleZh, String titleEn) {
      this.titleZh = titleZh;
      this.titleEn = titleEn;
    }

    public String titleZh() {
      return titleZh;
    }

    public String titleEn() {
      return titleEn;
    }
  }
}
