/// IonLink's release version, written into every run record.
public enum IonLinkVersion {
    public static let current = "0.6.0"
}
