/// The version of Goethe that this build is, shared by goethe and goethectl.
public enum GoetheVersion {
  public static let current = "2.0.0-dev"
}
