import type { Principal } from "../identity/principal";

declare global {
   
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

export {};
